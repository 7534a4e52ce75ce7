using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Accounts;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>The `chargeControl` and `account` events, read over a real event stream.</summary>
public class ChargeControlAndAccountEventsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_charge_control_setting_is_an_event_on_the_car_stream_in_the_rest_shape()
    {
        await using var app = await GatewayApp.StartAsync();
        var vin = RenaultCloud.DemoZoePhase2Vin;
        await using var stream = await EventStream.OpenAsync(app.Client, $"/api/vehicles/{vin}/events", Ct);

        var put = await app.Client.PutAsJsonAsync($"/api/vehicles/{vin}/charge-control", new { percentageThreshold = 80, stopAt = "06:30" }, Ct);
        var answered = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var pushed = await NextAsync(stream, "chargeControl");
        Assert.Equal(answered.ToString(), pushed.ToString());
        Assert.Equal(vin, pushed.GetProperty("vin").GetString());
        Assert.Equal(80, pushed.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal("06:30", pushed.GetProperty("stopAt").GetString());
    }

    [Fact]
    public async Task A_charge_control_change_of_another_car_is_not_on_a_car_stream()
    {
        await using var app = await GatewayApp.StartAsync();
        await using var stream = await EventStream.OpenAsync(app.Client, $"/api/vehicles/{RenaultCloud.DemoSpringVin}/events", Ct);

        await app.Client.PutAsJsonAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/charge-control", new { percentageThreshold = 70 }, Ct);
        await app.Client.PutAsJsonAsync($"/api/vehicles/{RenaultCloud.DemoSpringVin}/charge-control", new { percentageThreshold = 90 }, Ct);

        var pushed = await NextAsync(stream, "chargeControl");
        Assert.Equal(RenaultCloud.DemoSpringVin, pushed.GetProperty("vin").GetString());
        Assert.Equal(90, pushed.GetProperty("percentageThreshold").GetInt32());
    }

    [Fact]
    public async Task An_account_whose_login_is_refused_is_an_account_event_on_every_stream_in_the_accounts_shape()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway);
        await using var all = await EventStream.OpenAsync(app.Client, "/api/events", Ct);
        await using var oneCar = await EventStream.OpenAsync(app.Client, $"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/events", Ct);

        var login = await app.Client.PostAsJsonAsync("/api/accounts/renault/login",
            new { username = RenaultCloud.DemoUsername, password = "not-the-password" }, Ct);
        app.Time.Advance(AccountChanges.Interval);
        var listed = (await app.Client.GetFromJsonAsync<JsonElement>("/api/accounts", Ct)).EnumerateArray()
            .Single(account => account.GetProperty("maker").GetString() == "Renault");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        foreach (var stream in new[] { all, oneCar })
        {
            var pushed = await NextAsync(stream, "account", () => app.Time.Advance(AccountChanges.Interval));
            Assert.Equal("credentials_rejected", pushed.GetProperty("state").GetString());
            Assert.Equal(listed.ToString(), pushed.ToString());
            Assert.DoesNotContain("not-the-password", pushed.ToString());
        }
    }

    [Fact]
    public async Task An_account_that_does_not_change_raises_no_event()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        var changes = app.Services.GetRequiredService<AccountChanges>();
        changes.Check();
        var raised = new List<string>();
        changes.Changed += status => raised.Add(status.Maker);

        changes.Check();
        await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status", Ct);
        changes.Check();

        Assert.Empty(raised);
    }

    // The account watch ticks on the gateway's fake clock: the clock is moved on while the event is awaited.
    private static async Task<JsonElement> NextAsync(EventStream stream, string name, Action? whileWaiting = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);
        while (true)
        {
            var next = stream.NextEventAsync(Patience, deadline.Token);
            while (whileWaiting is not null && !next.IsCompleted)
            {
                whileWaiting();
                await Task.WhenAny(next, Task.Delay(50, deadline.Token));
            }

            var (eventName, data) = await next;
            if (eventName == name)
            {
                return JsonDocument.Parse(data).RootElement;
            }
        }
    }
}
