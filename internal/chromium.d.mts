/** How every browser test here starts Chromium (see chromium.mjs). */
export declare const chromiumLaunchOptions: { executablePath: string; args: string[] };
