// Okabe–Ito: distinguishable with every common colour-vision deficiency. Lines also differ by dash pattern,
// so nothing depends on colour alone.
export const COLORS = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  green: '#009E73',
  orange: '#E69F00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  black: '#000000',
} as const;

export const DASHES = ['', '6 3', '2 3', '8 3 2 3'] as const;

export const FAULT_FILL = '#E69F00';
export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e3e3e3';
