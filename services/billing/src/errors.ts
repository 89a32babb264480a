/** Stable codes of the billing service. */
export const billingErrorCodes = {
  planNotFound: 'BILLING_PLAN_NOT_FOUND',
  planExists: 'BILLING_PLAN_EXISTS',
  invalidUsage: 'BILLING_USAGE_INVALID',
  otherOrganisation: 'BILLING_OTHER_ORGANISATION',
  subscriptionNotFound: 'BILLING_SUBSCRIPTION_NOT_FOUND',
  authUnavailable: 'BILLING_AUTH_UNAVAILABLE',
} as const;
