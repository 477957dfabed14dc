// Entry point: read the environment, resolve secrets, start serving, stop cleanly on signals.
import { bootstrap } from './app.ts';
import { ConfigError, parseEnv, type Config } from './config.ts';
import { resolveSecrets } from './platform/secrets.ts';
import { databaseIsEmpty, ensureDemoTenant, type DemoLinks } from './tools/demo/demo-tenant.ts';
import { startSimulation, type Simulation } from './tools/demo/simulation.ts';

/** Sign-in links and keys go to the terminal only (never through the logger): they carry credentials. */
function printDemo(demo: DemoLinks, simulated: boolean, slaSeconds: number): void {
  const lines = ['\nDemo tenant: open a link to sign in to the console as that person (the links hold tokens; keep them private):'];
  for (const p of demo.people) lines.push(`  ${p.name} (${p.role})${p.simulated && simulated ? ' [simulated]' : ''}: ${p.link}`);
  lines.push('', `The Support inbox assigns by round robin; its first response is due in ${slaSeconds} s (warning at half).`);
  lines.push(simulated
    ? 'Simulated customers write every few seconds; Ben and Cleo answer (one in three too late) and the FAQ bot answers what it knows.\n'
      + 'Sam Supervisor\'s link shows the board; Ada Agent\'s puts you in the round robin. Start with --no-simulation for a quiet demo.'
    : 'No simulated traffic (--no-simulation): write as a customer and run the bot yourself with the commands below.');
  lines.push('', 'Write as a customer:',
    `  npm run inbound -- --url ${demo.url} --inbox ${demo.inboxId} --secret ${demo.webhookSecret} --from you@example.com "What are your opening hours?"`);
  lines.push('', `Run the FAQ bot yourself${simulated ? ' (with --no-simulation, or it answers twice)' : ''}:`,
    `  SWITCHBOARD_URL=${demo.url} SWITCHBOARD_BOT_KEY=${demo.botKey} SWITCHBOARD_INBOX_ID=${demo.inboxId} node examples/faq-bot.ts`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  // Whatever this process writes (the embedded database, secrets) is for its own user only.
  process.umask(0o077);
  const demo = process.argv.includes('--demo');
  // The demo's terminal is for its links and commands: request logs only when asked for.
  const env = parseEnv(demo && !process.env.LOG_LEVEL ? { ...process.env, LOG_LEVEL: 'warn' } : process.env);
  const secrets = await resolveSecrets(env.DATA_DIR, { jwtSecret: env.JWT_SECRET, adminKey: env.ADMIN_KEY });
  const config: Config = Object.freeze({ ...env, JWT_SECRET: secrets.jwtSecret, ADMIN_KEY: secrets.adminKey });
  if (secrets.adminKeyGenerated) {
    // Printed once, on the terminal only (never through the logger); kept in DATA_DIR/secrets.json.
    process.stdout.write(`\nAdmin key (shown once, kept in ${env.DATA_DIR}/secrets.json): ${secrets.adminKey}\n\n`);
  }
  const app = await bootstrap(config);
  app.logger.info({ url: app.url, database: config.DATABASE_URL ? 'postgresql' : 'pglite', redis: Boolean(config.REDIS_URL) }, 'switchboard listening');
  process.stdout.write(`\nConsole: ${app.url}/\n`);
  let simulation: Simulation | undefined;
  if (demo) {
    const links = await ensureDemoTenant(app);
    const simulate = !process.argv.includes('--no-simulation');
    printDemo(links, simulate, config.DEMO_SLA_SECONDS);
    if (simulate) {
      simulation = await startSimulation({
        url: app.url, inboxId: links.inboxId, webhookSecret: links.webhookSecret, botKey: links.botKey, slaSeconds: config.DEMO_SLA_SECONDS,
        agents: links.people.filter((p) => p.simulated), logger: app.logger,
      });
    }
  } else if (await databaseIsEmpty(app)) process.stdout.write('No tenants yet: `npm start -- --demo` builds a demo tenant and prints sign-in links.\n\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await simulation?.stop();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
