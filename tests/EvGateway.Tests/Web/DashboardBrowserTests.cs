using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.Accounts;
using Microsoft.Playwright;

namespace EvGateway.Tests.Web;

/// <summary>The dashboard in a real headless Chromium against a gateway on a loopback port and the simulated clouds.</summary>
public class DashboardBrowserTests(Browser browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_demo_mode_the_page_shows_every_demo_car_under_a_demo_banner()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway, overSockets: true);
        var vins = (await app.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct)).EnumerateArray()
            .Select(v => v.GetProperty("vin").GetString()!).ToList();
        var page = await browser.NewPageAsync(phone: true);

        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());

        await Assertions.Expect(page.Locator("[data-demo]")).ToContainTextAsync("simulated demo cars");
        await Assertions.Expect(page.Locator("article.car")).ToHaveCountAsync(vins.Count);
        Assert.True(vins.Count >= 5, $"only {vins.Count} demo cars");
        foreach (var vin in vins)
        {
            await Assertions.Expect(page.Locator($"article.car[data-vin='{vin}'] h2")).ToContainTextAsync(vin);
        }
    }

    [Fact]
    public async Task Without_script_at_the_gateways_lan_address_a_button_posts_its_form_and_the_page_then_says_what_it_did()
    {
        // The owner's case: a plain http address on the home network, where the browser sends no Sec-Fetch-Site and the
        // cross-site guard goes by the Origin of the page's own post (a "null" one would be refused).
        var address = LanAddress();
        if (address is null)
        {
            Assert.Skip("This machine has no network address but loopback.");
        }

        await using var app = await GatewayApp.StartAsync(new()
        {
            ["Gateway:Urls"] = $"http://{address}:0",
            ["Gateway:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Gateway:AllowedNetworks:1"] = $"{address}/32",
        }, overSockets: true);
        var vin = RenaultCloud.DemoZoePhase2Vin;
        await app.Client.GetAsync("/api/vehicles", Ct);
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        var reads = app.Simulator.Renault.CallCounts().Values.Sum();

        await page.Locator($"article.car[data-vin='{vin}']").GetByRole(AriaRole.Button, new() { Name = "Read now" }).ClickAsync();

        await Assertions.Expect(page.Locator($"article.car[data-vin='{vin}'] [data-outcome]")).ToHaveTextAsync("Status read just now.");
        Assert.Equal(new Uri(app.BaseAddress, "/").ToString(), page.Url);
        Assert.True(app.Simulator.Renault.CallCounts().Values.Sum() > reads, "the car's cloud was not asked");
        await context.CloseAsync();
    }

    private static IPAddress? LanAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(network => network.OperationalStatus == OperationalStatus.Up && network.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(network => network.GetIPProperties().UnicastAddresses)
        .Select(unicast => unicast.Address)
        .FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ip));

    [Fact]
    public async Task Stopping_a_charging_car_from_its_button_changes_its_charge_state_on_the_page_without_a_reload()
    {
        await using var app = await GatewayApp.StartAsync(overSockets: true);
        var vin = RenaultCloud.DemoZoePhase2Vin;
        await app.Client.GetAsync($"/api/vehicles/{vin}/status", Ct);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        var car = page.Locator($"article.car[data-vin='{vin}']");
        await Assertions.Expect(car.Locator("[data-charge-state]")).ToHaveAttributeAsync("data-charge-state", "Charging");
        await page.EvaluateAsync("() => window.stillTheSamePage = true");
        // The gateway's clock is a fake one: a command at the very instant of the last read would leave that read current.
        app.Time.Advance(TimeSpan.FromSeconds(5));

        await car.GetByRole(AriaRole.Button, new() { Name = "Stop charging" }).ClickAsync();

        await Assertions.Expect(car.Locator("[data-outcome]")).ToHaveAttributeAsync("data-result", "accepted");
        await Assertions.Expect(car.Locator("[data-charge-state]")).Not.ToHaveAttributeAsync("data-charge-state", "Charging");
        await Assertions.Expect(car.Locator("[data-field=charge]")).Not.ToHaveTextAsync("Charging");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded");
        Assert.False(app.Simulator.Renault.Car(vin).Read().Charging);
    }

    [Fact]
    public async Task A_refused_command_shows_its_reason_next_to_the_button()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" }, overSockets: true);
        await app.Client.GetAsync("/api/vehicles", Ct);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        var car = page.Locator($"article.car[data-vin='{RenaultCloud.DemoZoePhase2Vin}']");

        await car.GetByRole(AriaRole.Button, new() { Name = "Start climate" }).ClickAsync();

        await Assertions.Expect(car.Locator("[data-outcome]")).ToHaveAttributeAsync("data-result", "refused");
        await Assertions.Expect(car.Locator("[data-outcome]")).ToContainTextAsync("Start climate: Remote commands are turned off on this gateway");
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task The_price_chart_renders_its_bars_and_a_charge_control_change_shows_without_a_reload()
    {
        await using var app = await GatewayApp.StartAsync(overSockets: true);
        var vin = RenaultCloud.DemoZoePhase2Vin;
        await app.Client.GetAsync("/api/vehicles", Ct);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        var car = page.Locator($"article.car[data-vin='{vin}']");
        await page.EvaluateAsync("() => window.stillTheSamePage = true");

        var bars = await car.Locator("svg[data-chart] rect[data-bar]").CountAsync();
        var box = await car.Locator("svg[data-chart]").BoundingBoxAsync();
        var form = car.Locator("form[data-charge-control]");
        await form.GetByLabel("Stop at (%)").FillAsync("80");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save charge control" }).ClickAsync();

        Assert.InRange(bars, 2, 49);
        Assert.True(box is { Width: > 200, Height: > 50 }, $"the chart is {box?.Width}×{box?.Height}");
        await Assertions.Expect(car.Locator("[data-charge-control-summary]")).ToContainTextAsync("stops at 80 %");
        await Assertions.Expect(car.Locator("[data-outcome]")).ToHaveTextAsync("Charge control saved.");
        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"), "the page was reloaded");
    }
}
