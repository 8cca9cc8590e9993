export declare const BUNDLE_DIR: string;
/** tsc to dist/ (unless typecheck is false), then the bundle to dist/bundle/; returns esbuild's metafile. */
export declare function buildAll(options?: { typecheck?: boolean }): Promise<unknown>;
