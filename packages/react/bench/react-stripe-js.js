// The baseline the kit's sizes are compared with: @stripe/react-stripe-js, bundled exactly as the
// kit is (same esbuild settings, react, react-dom and @stripe/stripe-js left out).
export * from '@stripe/react-stripe-js';
