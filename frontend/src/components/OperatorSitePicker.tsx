// The operators' Site picker: their own Sites plus a search over every Site.
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { siteSearchWhere } from './SitePicker';

const OperatorSiteSearch = graphql(`
  query OperatorSiteSearch($where: SiteWhereInput) {
    sites(first: 20, where: $where, orderBy: { field: NUMBER, direction: ASC }) {
      edges {
        node {
          id
          number
          name
        }
      }
    }
  }
`);

interface Props {
  current: string | null;
  own: { number: string; name: string }[];
}

export default function OperatorSitePicker({ current, own }: Props) {
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [result] = useQuery({ query: OperatorSiteSearch, variables: { where: siteSearchWhere(debounced) } });

  const data = useMemo(() => {
    const byNumber = new Map<string, string>();
    for (const s of own) byNumber.set(s.number, s.name);
    for (const e of result.data?.sites.edges ?? []) if (e?.node) byNumber.set(e.node.number, e.node.name);
    if (current && !byNumber.has(current)) byNumber.set(current, '');
    return [...byNumber.entries()].map(([number, name]) => ({ value: number, label: name ? `${number} · ${name}` : number }));
  }, [own, result.data, current]);

  // Once a Site is chosen the search box shows its label; that is not a search term.
  const selectedLabel = data.find((d) => d.value === current)?.label;
  const onSearchChange = (value: string) => setSearch(value === selectedLabel ? '' : value);

  return (
    <Select
      aria-label="Site"
      placeholder="Find a Site by number or name"
      data={data}
      value={current}
      onChange={(value) => value && navigate(`/sites/${value}`)}
      searchable
      onSearchChange={onSearchChange}
      filter={({ options }) => options}
      nothingFoundMessage={result.fetching ? 'Searching…' : 'No Site found'}
      w={{ base: '100%', sm: 300 }}
      allowDeselect={false}
    />
  );
}
