// Exits 0 (so `prepare` skips its build) when npm runs `prepare` for `npx mnist-lab` in a clone:
// npm exec installs the checkout into its cache as a link to this same folder, which `npm
// install` has already built, so building again would only cost half a minute.
process.exit(process.env.npm_command === 'exec' ? 0 : 1);
