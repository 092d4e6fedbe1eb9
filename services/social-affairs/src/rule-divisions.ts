/**
 * The divisions whose rule rows apply to a registry, most specific first: its county, city and
 * province, and with `national` the nation ('000000000000'). Queries take the row with the
 * highest code among them, which is the most specific one in force.
 */
export function upwardRuleDivisions(divisionCode: string, options: { national: boolean }): string[] {
  const levels = options.national ? [6, 4, 2, 0] : [6, 4, 2];
  return levels.map((digits) => divisionCode.slice(0, digits).padEnd(12, '0'));
}
