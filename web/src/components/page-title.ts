import { createContext, useContext, useEffect } from 'react';

/**
 * The browser tab's title. The frame (AppLayout) names each page of the navigation after its link (客户 · Tierline);
 * a page that is more specific than its link (one account, the team's skills, the page not found) says so with
 * usePageTitle, in the app's language, and the frame shows that instead while the page is on screen.
 */
export const PageTitleContext = createContext<(title: string | null) => void>(() => {});

/** Names the page on screen (without the product's name, which the frame adds); nothing while `title` is empty. */
export function usePageTitle(title: string | null | undefined): void {
  const setTitle = useContext(PageTitleContext);
  useEffect(() => {
    if (!title) return;
    setTitle(title);
    return () => setTitle(null);
  }, [title, setTitle]);
}
