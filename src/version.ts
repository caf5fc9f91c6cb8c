/** The library's version; a test checks it against package.json. */
export const version = '0.2.0';
