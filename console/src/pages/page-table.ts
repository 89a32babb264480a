import type { FunctionComponent } from 'preact';
import type { Me } from '../api/types.js';
import { can } from '../session.js';
import { OrganisationPage } from './organisation-page.js';
import { MemoryPage } from './memory-page.js';
import { BillingPage } from './billing-page.js';
import { LogsPage } from './logs-page.js';
import { lazyPage } from '../components/lazy-page.js';

export interface ConsolePage {
  readonly route: string;
  readonly title: string;
  readonly component: FunctionComponent;
  /** Whether the caller may see the page: a page nobody would be allowed to load is not offered. */
  readonly visibleTo: (me: Me) => boolean;
}

/** The signed-in pages, in the navigation's order. */
export const consolePages: readonly ConsolePage[] = [
  { route: '/organisation', title: 'Organisation', component: OrganisationPage, visibleTo: (me) => can(me, 'org:read') },
  { route: '/memory', title: 'Memory', component: MemoryPage, visibleTo: (me) => can(me, 'memory:read') },
  { route: '/billing', title: 'Billing', component: BillingPage, visibleTo: (me) => can(me, 'billing:read') },
  // Observability shows an organisation's admins their own lines, and the platform's people all.
  { route: '/logs', title: 'Logs', component: LogsPage, visibleTo: (me) => can(me, 'org:admin') || can(me, 'observability:read') },
  // The platform's people: loaded on first visit, so tenants never download them or their charts.
  { route: '/overview', title: 'Overview', component: lazyPage(async () => (await import('./admin/overview-page.js')).default), visibleTo: (me) => can(me, 'observability:read') },
  { route: '/modules', title: 'Modules', component: lazyPage(async () => (await import('./admin/modules-page.js')).default), visibleTo: (me) => can(me, 'registry:admin') },
  { route: '/alerts', title: 'Alerts', component: lazyPage(async () => (await import('./admin/alerts-page.js')).default), visibleTo: (me) => can(me, 'observability:read') },
];

export function pagesFor(me: Me): readonly ConsolePage[] {
  return consolePages.filter((page) => page.visibleTo(me));
}
