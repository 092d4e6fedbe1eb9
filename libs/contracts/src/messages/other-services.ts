import { z } from 'zod';

export const emptyRequestSchema = z.object({}).strict();

export interface MarriageRegistryView {
  id: string;
  name: string;
  divisionCode: string;
  address: string;
  dailyCapacity: number;
}

export interface AgeAllowanceRateView {
  band: 'high-age' | 'longevity';
  minAge: number;
  maxAge: number | null;
  monthlyAmountFen: number;
  divisionCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface CounterView {
  eventType: string;
  divisionCode: string;
  period: string;
  count: number;
}

export interface CountersReport {
  counters: CounterView[];
  totalEvents: number;
}
