import type { Express } from 'express';
import { listen, type ListenOptions, type RunningServer } from '../../core/http/listen.js';

export type { ListenOptions, RunningServer } from '../../core/http/listen.js';

/** Listens on host:port (default 127.0.0.1, any free port) and resolves once it accepts connections; a taken port is PORT_IN_USE. */
export async function listenApp(app: Express, options: ListenOptions = {}): Promise<RunningServer> {
  return listen(app, options);
}
