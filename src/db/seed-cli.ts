/** `npm run build`'s last step: the embedded database's seed (seed.ts), unless it is current. */
import { buildSeed } from "./seed.js";

buildSeed().then(
  (how) => {
    if (how === "built") process.stdout.write("built dist/pglite-seed.tar.gz (a new DATA_DIR starts from it)\n");
  },
  (e: unknown) => {
    // The bot still starts without it (initdb at the first start), so a failure here fails no install.
    process.stderr.write(`could not build the embedded database seed: ${e instanceof Error ? e.message : String(e)}\n`);
  },
);
