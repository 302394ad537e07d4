// Errors a ManagementTarget throws so the management app can answer with the right status.

/** The request named a replica the target does not have (404). */
export class UnknownReplicaError extends Error {
  constructor(readonly replica: string) {
    super(`unknown replica ${JSON.stringify(replica)}`);
    this.name = 'UnknownReplicaError';
  }
}

/** The request is well-formed but the target cannot accept it, e.g. a scale count out of range (400). */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
