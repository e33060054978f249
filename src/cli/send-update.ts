import { RunRefusedUpdateError, type SpecKitClient } from '../client.js';
import type { Config } from '../config.js';
import type { UpdateAck } from '../run/messages.js';
import { CliError } from './cli-error.js';
import { connectTemporal } from './temporal.js';

/** Sends an operator's update to a run and prints what the run does next. */
export async function sendUpdate(
  config: Config,
  runId: string,
  done: string,
  update: (client: SpecKitClient) => Promise<UpdateAck>,
): Promise<void> {
  const client = await connectTemporal(config);
  try {
    const ack = await update(client);
    console.log(`run ${runId}: ${done}; ${ack.next}`);
  } catch (err) {
    if (err instanceof RunRefusedUpdateError) throw new CliError(err.message);
    throw err;
  } finally {
    await client.close();
  }
}
