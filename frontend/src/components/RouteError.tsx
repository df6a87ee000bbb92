import { Alert, Anchor, Container } from '@mantine/core';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';

/** A route that failed to load or render (for example a chunk lost after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <Container py="xl">
      <Alert color="red" title="This page could not be shown" role="alert">
        {message}.{' '}
        <Anchor component={Link} to="/" reloadDocument>
          Reload the dashboard
        </Anchor>
      </Alert>
    </Container>
  );
}
