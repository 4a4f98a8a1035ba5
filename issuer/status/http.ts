import { Router } from 'express';
import type { IssuerContext } from '../context.js';

/** Public status list routes and admin lifecycle routes. STUB. */
export function statusRoutes(ctx: IssuerContext): Router {
  void ctx;
  return Router();
}
