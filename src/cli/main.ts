// The `tierline` entry point (bin/tierline.js runs it bundled, or through tsx).
import { runCli } from './program.ts';

// Output piped into a reader that stops early (`tierline agenda | head`): stop quietly, as other commands do,
// instead of a stack trace about a closed pipe.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await runCli(process.argv);
