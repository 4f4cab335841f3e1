// The build-time settings the storefront reads (Vite exposes `VITE_*` variables).
interface ImportMetaEnv {
  /** The Tillkit server's API, the kit's `apiBase`. @default http://localhost:4242/api */
  readonly VITE_TILLKIT_API?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
