package report

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfTimeout bounds one rendering: loading the document, drawing its
// charts and printing.
const pdfTimeout = 60 * time.Second

// PDF prints a self-contained HTML document to an A4 PDF with a headless
// Chromium: the document is loaded without a network, its charts are drawn
// (app.js marks <html data-charts="drawn">), then it is printed with its
// backgrounds and its own @page size. It returns ErrNoChromium (wrapped)
// when no browser is installed.
func PDF(ctx context.Context, html []byte) ([]byte, error) {
	path, err := FindChromium()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, AllocatorOptions(path)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var out []byte
	err = chromedp.Run(bctx,
		chromedp.Navigate("about:blank"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			tree, err := page.GetFrameTree().Do(ctx)
			if err != nil {
				return err
			}
			return page.SetDocumentContent(tree.Frame.ID, string(html)).Do(ctx)
		}),
		waitForCharts(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			buf, _, err := page.PrintToPDF().
				WithPrintBackground(true).
				WithPreferCSSPageSize(true).
				WithPaperWidth(8.27).WithPaperHeight(11.69). // A4 when the page sets no @page size
				Do(ctx)
			out = buf
			return err
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("render PDF with %s: %w", path, err)
	}
	return out, nil
}

// waitForCharts waits until the document has no chart or app.js has drawn
// them all; a chart that cannot be drawn shows its error text and does not
// hold the PDF back beyond the timeout.
func waitForCharts() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		const probe = `(function(){var n=document.querySelectorAll('.chart[data-option]').length;` +
			`return n===0 || document.documentElement.getAttribute('data-charts')==='drawn' || ` +
			`document.querySelectorAll('.chart-error').length>0;})()`
		for {
			var done bool
			if err := chromedp.Evaluate(probe, &done).Do(ctx); err != nil {
				return err
			}
			if done {
				// One more frame so the canvas holds the final picture.
				return chromedp.Sleep(150 * time.Millisecond).Do(ctx)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("charts not drawn: %w", ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}
