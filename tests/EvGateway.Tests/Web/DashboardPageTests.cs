using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Simulator.Tariff;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Web;

/// <summary>The dashboard at / rendered in-process against the simulated clouds: its values, its buttons, its price chart and its cost.</summary>
public class DashboardPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dashboard_lists_every_car_with_the_values_of_its_last_status()
    {
        await using var app = await GatewayApp.StartAsync();
        var vins = await ReadEveryStatusAsync(app);

        var page = await DashboardHtml.GetAsync(app.Client);

        Assert.Equal(vins.Keys.Order(), page.Vins.Order());
        foreach (var (vin, status) in vins)
        {
            var card = page.Car(vin);
            if (status.TryGetProperty("batteryLevel", out var level) && level.ValueKind == JsonValueKind.Number)
            {
                Assert.Contains($"<strong data-field=\"battery\">{level.GetDouble().ToString("0", CultureInfo.InvariantCulture)} %</strong>", card);
            }

            if (status.TryGetProperty("odometerKm", out var odometer) && odometer.ValueKind == JsonValueKind.Number)
            {
                Assert.Contains($"{odometer.GetDouble().ToString("0", CultureInfo.InvariantCulture)} km on the odometer", card);
            }

            Assert.Contains($"href=\"/history/{vin}\"", card);
            Assert.Contains("data-age>just now</time>", card);
        }

        var zoe = page.Car(RenaultCloud.DemoZoePhase2Vin);
        Assert.Contains("data-charge-state=\"Charging\">Charging</span>", zoe);
        Assert.Contains("https://www.openstreetmap.org/?mlat=", zoe);
    }

    [Fact]
    public async Task A_car_whose_status_was_never_read_says_no_data_yet()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);

        var page = await DashboardHtml.GetAsync(app.Client);

        Assert.NotEmpty(page.Vins);
        Assert.All(page.Vins, vin => Assert.Contains("data-no-data", page.Car(vin)));
    }

    [Fact]
    public async Task A_car_shows_only_the_buttons_its_capabilities_allow()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);

        var page = await DashboardHtml.GetAsync(app.Client);

        // The Mégane E-Tech cannot be stopped remotely nor woken up; the Zoe can be stopped.
        var megane = page.Car(RenaultCloud.DemoMeganeVin);
        Assert.Contains("data-command=\"charge-start\"", megane);
        Assert.DoesNotContain("data-command=\"charge-stop\"", megane);
        Assert.DoesNotContain("data-command=\"wake-up\"", megane);
        Assert.Contains("data-command=\"charge-stop\"", page.Car(RenaultCloud.DemoZoePhase2Vin));
    }

    [Fact]
    public async Task Without_a_tariff_each_car_says_so_instead_of_a_chart()
    {
        // The rig points Tariff:Url at the simulated feed, as demo mode does; an owner without a tariff has none.
        await using var app = await GatewayApp.StartAsync(new() { ["Tariff:Url"] = "" });
        await app.Client.GetAsync("/api/vehicles", Ct);

        var page = await DashboardHtml.GetAsync(app.Client);

        var zoe = page.Car(RenaultCloud.DemoZoePhase2Vin);
        Assert.Contains("No tariff is configured (Tariff:Url), so there is no price chart and no smart charging.", zoe);
        Assert.DoesNotContain("<svg", zoe);
    }

    [Fact]
    public async Task With_a_tariff_the_chart_has_one_bar_per_price_slot_and_marks_the_planned_slots()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var tariff = await TariffServer.StartAsync(time);
        var first = new DateTimeOffset(time.GetUtcNow().Ticks / TimeSpan.FromMinutes(30).Ticks * TimeSpan.FromMinutes(30).Ticks, TimeSpan.Zero);
        var rates = Enumerable.Range(0, 48)
            .Select(i => new TariffRate(first.AddMinutes(30 * i), first.AddMinutes(30 * (i + 1)), i is >= 10 and < 14 ? 3.5 : 20 + i % 7))
            .ToList();
        tariff.Feed.Pin(rates);
        await using var app = await GatewayApp.StartAsync(
            new() { ["Tariff:Url"] = tariff.Url.ToString(), ["Charging:TimeZone"] = "Europe/Paris" },
            new SimulatorOptions { TimeProvider = time });
        var vin = RenaultCloud.DemoZoePhase1Vin;

        var applied = await app.Client.PostAsJsonAsync($"/api/vehicles/{vin}/smart-charge",
            new { targetPercent = 80, readyBy = first.AddHours(20).ToString("O") }, Ct);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var plan = (await applied.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("plan").GetProperty("slots").EnumerateArray()
            .Select(s => (Start: s.GetProperty("start").GetDateTimeOffset(), End: s.GetProperty("end").GetDateTimeOffset())).ToList();
        var page = await DashboardHtml.GetAsync(app.Client);

        var card = page.Car(vin);
        var plannedRates = rates.Count(r => plan.Any(p => p.Start < r.ValidTo && p.End > r.ValidFrom));
        Assert.NotEmpty(plan);
        Assert.Equal(rates.Count, DashboardHtml.Count(card, "data-bar"));
        Assert.Equal(plannedRates, DashboardHtml.Count(card, "data-planned=\"true\""));
        Assert.Contains("p/kWh", card);
        Assert.Matches(new Regex(@">\d\d:00</text>"), card);
        // The cheap slots (3.5 p) are the ones planned.
        Assert.All(Regex.Matches(card, "data-planned=\"true\"><title>([^<]*)</title>"), m => Assert.Contains(": 3.5 p/kWh", m.Groups[1].Value));
        // Another car has the same prices and no plan.
        var megane = page.Car(RenaultCloud.DemoMeganeVin);
        Assert.Equal(rates.Count, DashboardHtml.Count(megane, "data-bar"));
        Assert.Equal(0, DashboardHtml.Count(megane, "data-planned=\"true\""));
        Assert.Contains("No smart charge is planned for this car.", megane);
    }

    [Fact]
    public async Task Rendering_the_dashboard_asks_no_car_cloud()
    {
        // The daily read of the cars' charge lists is the history's call, not the page's.
        await using var app = await GatewayApp.StartAsync(new() { ["History:ReadCarCharges"] = "false" });
        await ReadEveryStatusAsync(app);
        app.Simulator.Renault.ResetCounters();
        var psaReads = PsaCalls(app);

        for (var i = 0; i < 5; i++)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            var page = await DashboardHtml.GetAsync(app.Client);
            Assert.NotEmpty(page.Vins);
        }

        Assert.Empty(app.Simulator.Renault.CallCounts());
        Assert.Equal(psaReads, PsaCalls(app));
    }

    [Fact]
    public async Task Without_script_a_refused_command_is_said_in_words_next_to_the_car_after_the_post()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });
        await app.Client.GetAsync("/api/vehicles", Ct);
        var vin = RenaultCloud.DemoZoePhase2Vin;
        Assert.Contains("action=\"/?handler=Command\"", (await DashboardHtml.GetAsync(app.Client)).Car(vin));

        using var post = await app.Client.PostAsync("/?handler=Command", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["vin"] = vin,
            ["command"] = "charge-stop",
        }), Ct);
        // The post redirects back to the page, which says once what happened.
        var after = new DashboardHtml(await post.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("/", post.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Stop charging: Remote commands are turned off on this gateway", after.Car(vin));
        Assert.DoesNotContain("turned off", after.Car(RenaultCloud.DemoMeganeVin));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    public async Task A_form_post_from_another_site_is_refused_and_reaches_no_cloud(string origin)
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/?handler=Command")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["vin"] = RenaultCloud.DemoZoePhase2Vin,
                ["command"] = "charge-stop",
            }),
        };
        request.Headers.Add("Origin", origin);
        using var post = await app.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.DoesNotContain(app.Simulator.Renault.CallCounts(), call => call.Key.Contains("charg", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_form_post_from_the_gateways_own_page_is_carried_out()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        var vin = RenaultCloud.DemoZoePhase2Vin;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/?handler=Refresh")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["vin"] = vin }),
        };
        // What a browser sends from the page at the gateway's own address (on a LAN http address it sends no Sec-Fetch-Site).
        request.Headers.Add("Origin", $"{app.Client.BaseAddress!.Scheme}://{app.Client.BaseAddress.Authority}");
        using var post = await app.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("Status read just now.", new DashboardHtml(await post.Content.ReadAsStringAsync(Ct)).Car(vin));
    }

    private static int PsaCalls(GatewayApp app) =>
        app.Simulator.Psa.CallCount("/user/vehicles") + app.Simulator.Psa.CallCount("/user/vehicles/{id}/status")
        + app.Simulator.Psa.CallCount("/user/vehicles/{id}/lastPosition");

    private static async Task<Dictionary<string, JsonElement>> ReadEveryStatusAsync(GatewayApp app)
    {
        var vehicles = await app.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct);
        var statuses = new Dictionary<string, JsonElement>();
        foreach (var vin in vehicles.EnumerateArray().Select(v => v.GetProperty("vin").GetString()!))
        {
            using var response = await app.Client.GetAsync($"/api/vehicles/{vin}/status", Ct);
            statuses[vin] = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(Ct) : default;
        }

        return statuses;
    }
}
