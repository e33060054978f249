// The load's runs go to a namespace of their own: Temporal counts heartbeats per namespace, so the
// count there is theirs alone, whatever else the server runs meanwhile (tests, another bench).
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';

/** The run's search attributes, as scripts/stack.sh registers them in the default namespace. */
const SEARCH_ATTRIBUTES = ['SpecKitRepo', 'SpecKitStatus', 'SpecKitPhase'];
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;
const GRPC_NOT_FOUND = 5;
const READY_TIMEOUT_MS = 60_000;

export async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  const { workflowService, operatorService } = connection;
  try {
    await workflowService.describeNamespace({ namespace });
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== GRPC_NOT_FOUND) throw err;
    await workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  }
  // The frontend learns of a new namespace from its cache, refreshed every few seconds.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await workflowService.countWorkflowExecutions({ namespace });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const { customAttributes } = await operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((name) => customAttributes?.[name] === undefined);
  if (missing.length) {
    await operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  }
}
