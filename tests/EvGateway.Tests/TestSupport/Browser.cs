using Microsoft.Playwright;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// A real headless Chromium driven by Playwright: Debian's /usr/bin/chromium (Playwright's own browser download is not
/// used), started once for the test assembly. `.ci/run` installs the package when it is missing.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Browser tests need Debian's chromium at {ExecutablePath} (apt-get install chromium).");
        }

        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // As root in a sandboxed machine with no network but loopback: no sandbox, and none of the browser's own calls home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh page in its own context (no cookies shared between tests), phone-sized when asked.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Chromium.NewContextAsync(phone
            ? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true }
            : new BrowserNewContextOptions());
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
