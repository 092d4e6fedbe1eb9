import { z } from 'zod';
import {
  Patterns,
  createPlaceNameSchema,
  emptyRequestSchema,
  getHouseholdSchema,
  getPlaceNameSchema,
  listPlaceNamesSchema,
  registerHouseholdSchema,
} from '@civil/contracts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP route of the public API, mapped to one NATS request. The same table drives the
 * router, the OpenAPI document and (later) the authorization matrix, so they cannot disagree.
 */
export interface GatewayRoute {
  method: HttpMethod;
  /** Fastify path syntax, e.g. /api/v1/place-names/:id */
  path: string;
  subject: string;
  tag: string;
  summary: string;
  /** Public routes work without a token; the service still decides what an actor may see. */
  access: 'public' | 'authenticated';
  /** Validates the merged path parameters, query and body sent on to the service. */
  schema: z.ZodType;
  successStatus: 200 | 201;
}

export const ROUTES: readonly GatewayRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/place-names',
    subject: Patterns.placeNames.create,
    tag: 'place-names',
    summary: 'Record a standard place name (place-names officers, within their divisions).',
    access: 'authenticated',
    schema: createPlaceNameSchema,
    successStatus: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/place-names',
    subject: Patterns.placeNames.list,
    tag: 'place-names',
    summary: 'Search place names by name prefix and division (public).',
    access: 'public',
    schema: listPlaceNamesSchema,
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/place-names/:id',
    subject: Patterns.placeNames.get,
    tag: 'place-names',
    summary: 'One place name (public).',
    access: 'public',
    schema: getPlaceNameSchema,
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/reports/counters',
    subject: Patterns.reporting.counters,
    tag: 'reports',
    summary: 'Events received by reporting, per type, township and month (staff).',
    access: 'authenticated',
    schema: z.object({ eventType: z.string().max(200).optional() }).strict(),
    successStatus: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/social-assistance/households',
    subject: Patterns.socialAssistance.registerHousehold,
    tag: 'social-assistance',
    summary: 'Register an assistance household and its members (clerks, within their divisions).',
    access: 'authenticated',
    schema: registerHouseholdSchema,
    successStatus: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/social-assistance/households/:id',
    subject: Patterns.socialAssistance.getHousehold,
    tag: 'social-assistance',
    summary: 'One household with masked resident IDs (caseworkers in scope, or a member).',
    access: 'authenticated',
    schema: getHouseholdSchema,
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/social-affairs/marriage-registries',
    subject: Patterns.socialAffairs.listMarriageRegistries,
    tag: 'social-affairs',
    summary: 'Marriage registries with their daily appointment capacity (public).',
    access: 'public',
    schema: emptyRequestSchema,
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/elderly-care/age-allowance-rates',
    subject: Patterns.elderlyCare.listAgeAllowanceRates,
    tag: 'elderly-care',
    summary: 'Age-allowance rates in force, by band and division (public).',
    access: 'public',
    schema: emptyRequestSchema,
    successStatus: 200,
  },
];
