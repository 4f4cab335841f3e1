// CSS imports are the bundler's (Vite, Next.js); TypeScript only needs to know they exist.
declare module '*.css';
