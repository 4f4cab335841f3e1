// CSS imports are Vite's; TypeScript only needs to know they exist.
declare module '*.css';
