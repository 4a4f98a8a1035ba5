import type { RequestHandler } from 'express';
import { bearerAuth } from '../../core/http/bearer-auth.js';
import type { IssuerContext } from '../context.js';

/** Guards /admin routes with the issuer's admin token (core/http/bearer-auth.ts). */
export const requireAdmin = (ctx: IssuerContext): RequestHandler => bearerAuth({ token: ctx.config.adminToken, realm: 'netcred-issuer' });
