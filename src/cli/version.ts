// blue's version, in one place: --version answers it without building the command tree.
export const VERSION = '0.1.0';
