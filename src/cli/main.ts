// The `tierline` entry point (bin/tierline.js runs this through tsx).
import { runCli } from './program.ts';

await runCli(process.argv);
