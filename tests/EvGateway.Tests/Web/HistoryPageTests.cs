using System.Globalization;
using System.Text.RegularExpressions;
using EvGateway.History;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EvGateway.Tests.Web;

/// <summary>/history/{vin} in a real headless Chromium after a simulated day through the real Renault adapter.</summary>
public class HistoryPageTests(Browser browser)
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_history_page_draws_the_day_and_setting_a_session_price_changes_the_cost_shown()
    {
        await using var app = await GatewayApp.StartAsync(SimulatedDayTests.FixedRates(feed: false), overSockets: true);
        var day = await SimulatedDayTests.LiveADayAsync(app);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);
        var from = Iso(day.LeaveHome.Timestamp.AddHours(-1));
        var to = Iso(day.Arrived.Timestamp.AddHours(1));

        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, $"/history/{Vin}?from={from}&to={to}").ToString());

        var soc = page.Locator("svg[data-chart=soc] polyline");
        Assert.True((await soc.GetAttributeAsync("points"))!.Split(' ').Length > 20);
        await Assertions.Expect(page.Locator("table[data-table=trips] tbody tr")).ToHaveCountAsync(2);
        var session = page.Locator("table[data-table=charges] tbody tr");
        await Assertions.Expect(session).ToHaveCountAsync(1);
        await Assertions.Expect(session.Locator("td").Nth(4)).ToHaveTextAsync("home");
        Assert.True((await page.Locator("svg[data-chart=curve] polyline[data-series=level]").GetAttributeAsync("points"))!.Split(' ').Length > 5);
        Assert.NotEmpty((await page.Locator("svg[data-chart=curve] polyline[data-series=power]").GetAttributeAsync("points"))!);
        await Assertions.Expect(page.Locator("svg[data-chart=monthly] rect")).Not.ToHaveCountAsync(0);
        // Each month's bar has its label under it, as SVG text at a place on the chart.
        var label = page.Locator("svg[data-chart=monthly] text[data-month-label]").First;
        await Assertions.Expect(label).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2} · \d+\.\d{2}$"));
        Assert.Matches(@"^\d+(\.\d+)?$", await label.GetAttributeAsync("x"));
        Assert.Equal("165", await label.GetAttributeAsync("y"));
        var before = await session.Locator("[data-cost]").TextContentAsync();

        await session.GetByRole(AriaRole.Textbox).FillAsync("0.5");
        await session.GetByRole(AriaRole.Button, new() { Name = "Set price" }).ClickAsync();

        var energy = double.Parse(Regex.Match((await page.Locator("table[data-table=charges] tbody tr td").Nth(1).TextContentAsync())!, @"[\d.]+").Value,
            CultureInfo.InvariantCulture);
        var cost = Math.Round(energy / 0.9 * 0.5, 2).ToString("0.00", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("table[data-table=charges] [data-cost]")).ToHaveTextAsync($"{cost} EUR (set by you)");
        Assert.NotEqual(before, await page.Locator("table[data-table=charges] [data-cost]").TextContentAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "history.png"), FullPage = true });
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
