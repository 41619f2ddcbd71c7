// The baseline is built on demand by bench:web (`build:baseline`), never by `pnpm build`.
export default { poweredByHeader: false, reactStrictMode: true };
