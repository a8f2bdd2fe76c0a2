import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Logger } from 'pino';
import { createTestApiRouter, type TestApiBase } from './test-api/test-api-base.ts';
import { renderMessagePage } from './ui/consent-page.ts';
import { createKitAssetsRouter } from './ui/kit-assets-router.ts';
import type { PageBrand } from './ui/page-frame.ts';
import { sendPage } from './ui/send-page.ts';

/**
 * The frame every provider emulator's Express app shares: no proxy trust, state saved after the
 * requests that can change it, the kit's assets and test API first, then the provider's own routes
 * (`routes`), then a 404 page and an error page in the provider's colours.
 */
export function createEmulatorApp(options: {
  /** For people, in the 404 page: "GitLab emulator". */
  name: string;
  brand: PageBrand;
  logger: Logger;
  testApi: TestApiBase;
  /** Save the emulator's state after a request that may have changed it (`changes`); errors are logged. */
  persist: { changes: (req: Request) => boolean; save: () => void };
  routes: (app: Express) => void;
}): Express {
  const { brand, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    if (options.persist.changes(req)) {
      res.on('finish', () => {
        try {
          options.persist.save();
        } catch (error) {
          logger.error({ err: error }, 'could not save the emulator state');
        }
      });
    }
    next();
  });
  app.use(createKitAssetsRouter(brand.headerColor));
  app.use(createTestApiRouter(options.testApi));
  options.routes(app);
  app.use((_req, res) =>
    sendPage(
      res,
      404,
      renderMessagePage(
        brand,
        'Page not found',
        `There is nothing at this address in the ${options.name}.`,
      ),
    ),
  );
  const answerUnexpectedError: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendPage(
        res,
        status,
        renderMessagePage(
          brand,
          'Bad request',
          'The request could not be read. Go back and try again.',
        ),
      );
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendPage(
      res,
      500,
      renderMessagePage(
        brand,
        'Something went wrong',
        'The emulator could not answer. Try again; the log has the details.',
      ),
    );
  };
  app.use(answerUnexpectedError);
  return app;
}
