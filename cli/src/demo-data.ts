/**
 * The demo installation `lift seed` makes — the seed's setup_local_db.py, through the API: one
 * tenant organisation with an owner and a member, the template module registered, memories of
 * the organisation, and a few searches so billing has usage to show.
 */
export const demoOrganisationName = 'Demo Organisation';

export const demoUsers = {
  owner: { email: 'demo-owner@lift.local', displayName: 'Demo Owner' },
  member: { email: 'demo-member@lift.local', displayName: 'Demo Member' },
} as const;

/** Every demo memory carries this tag: how a second run finds that the first one stored them. */
export const demoMemoryTag = 'demo-seed';

export interface DemoMemory {
  readonly content: string;
  readonly type: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

const memory = (content: string, type: string, tags: readonly string[], team: string): DemoMemory => ({ content, type, tags: [demoMemoryTag, ...tags], metadata: { team } });

export const demoMemories: readonly DemoMemory[] = [
  memory('The Q3 launch moved to October because the payment provider migration slipped', 'insight', ['launch'], 'growth'),
  memory('Customers on the annual plan churn less than half as often as monthly customers', 'insight', ['churn', 'pricing'], 'growth'),
  memory('The onboarding email sequence lifts week-one activation by about twelve percent', 'insight', ['onboarding'], 'lifecycle'),
  memory('Support tickets about invoices peak in the first three days of every month', 'general', ['support', 'billing'], 'support'),
  memory('The payment webhook retried too quickly during the incident on the fifth', 'incident', ['payments'], 'platform'),
  memory('Paid search brings the most trials but organic referrals convert best to paid plans', 'insight', ['marketing', 'attribution'], 'growth'),
];

/** Searches the demo owner runs after storing: metered by the gateway as api_calls and memory_searches. */
export const demoSearches: readonly string[] = ['launch date', 'churn annual plan', 'payment webhook incident'];
