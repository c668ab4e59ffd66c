/** The URL of the bundled CLI, built or taken from the cache; null when it cannot be had here (bin/cli-bundle.mjs). */
export declare function cliBundle(): Promise<URL | null>;
