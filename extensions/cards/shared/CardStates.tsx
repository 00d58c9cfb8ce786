import { Button, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';

/** The first load of a card. */
export function CardLoading({ what }: { what: string }) {
  return <LoadingSpinner label={`Loading ${what} from Closed Loop`} showLabel layout="centered" />;
}

/** A card that could not load: the backend's own message, and a way to try again. */
export function CardFailed({ title, message, onRetry }: { title: string; message: string; onRetry: () => void }) {
  return (
    <ErrorState title={title}>
      <Text>{message}</Text>
      <Button onClick={() => onRetry()}>Try again</Button>
    </ErrorState>
  );
}
