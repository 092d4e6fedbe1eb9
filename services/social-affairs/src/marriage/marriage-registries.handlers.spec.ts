import type { DataSource } from 'typeorm';
import { MarriageRegistriesHandlers } from './marriage-registries.handlers';

describe('MarriageRegistriesHandlers.list', () => {
  it('maps registry rows to views in the order the query returns them', async () => {
    const query = jest.fn(async () => [
      { id: 'r-1', name: '雨湖区婚姻登记处', division_code: '430302000000', address: '雨湖区建设路1号', daily_capacity: 60 },
      { id: 'r-2', name: '岳塘区婚姻登记处', division_code: '430304000000', address: '岳塘区书院路2号', daily_capacity: 0 },
    ]);
    const result = await new MarriageRegistriesHandlers({ query } as unknown as DataSource).list();
    expect(result).toEqual({
      items: [
        { id: 'r-1', name: '雨湖区婚姻登记处', divisionCode: '430302000000', address: '雨湖区建设路1号', dailyCapacity: 60 },
        { id: 'r-2', name: '岳塘区婚姻登记处', divisionCode: '430304000000', address: '岳塘区书院路2号', dailyCapacity: 0 },
      ],
    });
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/FROM marriage_registry ORDER BY division_code, name/));
  });

  it('returns no items for no rows', async () => {
    const handlers = new MarriageRegistriesHandlers({ query: async () => [] } as unknown as DataSource);
    expect(await handlers.list()).toEqual({ items: [] });
  });

  it('exposes only the view fields, not other columns', async () => {
    const handlers = new MarriageRegistriesHandlers({
      query: async () => [{ id: 'r-1', name: 'n', division_code: '430302000000', address: 'a', daily_capacity: 5, created_by: 'admin-1' }],
    } as unknown as DataSource);
    const [item] = (await handlers.list()).items;
    expect(Object.keys(item ?? {}).sort()).toEqual(['address', 'dailyCapacity', 'divisionCode', 'id', 'name']);
  });

  it('lets a database failure through', async () => {
    const failure = new Error('relation "marriage_registry" does not exist');
    const handlers = new MarriageRegistriesHandlers({ query: async () => Promise.reject(failure) } as unknown as DataSource);
    await expect(handlers.list()).rejects.toBe(failure);
  });
});
