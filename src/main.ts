// Entry point: read the environment, resolve secrets, start serving, stop cleanly on signals.
import { bootstrap } from './app.ts';
import { ConfigError, parseEnv, type Config } from './config.ts';
import { resolveSecrets } from './secrets.ts';
import { databaseIsEmpty, ensureDemoTenant, type DemoLinks } from './demo/demo-tenant.ts';

/** Sign-in links go to the terminal only (never through the logger): they carry tokens. */
function printDemo(demo: DemoLinks): void {
  const lines = [`\nDemo tenant: open a link to sign in to the console as that person (the links hold tokens; keep them private):`];
  for (const p of demo.people) lines.push(`  ${p.name} (${p.role}): ${p.link}`);
  if (demo.botKey) lines.push(`  FAQ bot key (shown once): SWITCHBOARD_BOT_KEY=${demo.botKey} SWITCHBOARD_INBOX_ID=${demo.inboxId} node examples/faq-bot.ts`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function main(): Promise<void> {
  // Whatever this process writes (the embedded database, secrets) is for its own user only.
  process.umask(0o077);
  const env = parseEnv(process.env);
  const secrets = await resolveSecrets(env.DATA_DIR, { jwtSecret: env.JWT_SECRET, adminKey: env.ADMIN_KEY });
  const config: Config = Object.freeze({ ...env, JWT_SECRET: secrets.jwtSecret, ADMIN_KEY: secrets.adminKey });
  if (secrets.adminKeyGenerated) {
    // Printed once, on the terminal only (never through the logger); kept in DATA_DIR/secrets.json.
    process.stdout.write(`\nAdmin key (shown once, kept in ${env.DATA_DIR}/secrets.json): ${secrets.adminKey}\n\n`);
  }
  const app = await bootstrap(config);
  app.logger.info({ url: app.url, database: config.DATABASE_URL ? 'postgresql' : 'pglite', redis: Boolean(config.REDIS_URL) }, 'switchboard listening');
  process.stdout.write(`\nConsole: ${app.url}/\n`);
  if (process.argv.includes('--demo')) printDemo(await ensureDemoTenant(app));
  else if (await databaseIsEmpty(app)) process.stdout.write('No tenants yet: `npm start -- --demo` builds a demo tenant and prints sign-in links.\n\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
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
