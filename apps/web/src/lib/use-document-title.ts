import { useEffect } from 'react';

const PRODUCT_NAME = 'Runner Console';

/** Names the browser tab after the page, so tabs, history and screen readers say where you are. */
export function useDocumentTitle(pageTitle: string | null) {
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [pageTitle]);
}
