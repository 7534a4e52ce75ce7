using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.HomeAutomation;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.HomeAutomation;

public class LiveEventsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Enough budget and quota for every read below to reach the cloud within the simulated hour.
    private static Task<GatewayApp> StartWithAmpleQuotaAsync() => GatewayApp.StartAsync(
        new() { ["Renault:CallBudgetPerHour"] = "10000" },
        new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow), RenaultCallsPerHour = 10000 });

    [Fact]
    public async Task Ten_event_stream_readers_add_no_cloud_call_to_a_hundred_status_reads()
    {
        await using var app = await StartWithAmpleQuotaAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        var url = $"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status";

        app.Simulator.Renault.ResetCounters();
        await ReadHundredTimesAsync(app, url);
        var readsAlone = app.Simulator.Renault.CallCounts().Values.Sum();

        var readers = new List<EventStream>();
        for (var i = 0; i < 10; i++)
        {
            readers.Add(await EventStream.OpenAsync(app.Client, "/api/events", Ct));
        }

        app.Simulator.Renault.ResetCounters();
        var last = await ReadHundredTimesAsync(app, url);
        var readsWithReaders = app.Simulator.Renault.CallCounts().Values.Sum();

        Assert.True(readsAlone >= 100, $"each read was meant to reach the cloud; {readsAlone} calls");
        Assert.Equal(readsAlone, readsWithReaders);
        foreach (var reader in readers)
        {
            var seen = await LastStatusAsync(reader, last.GetProperty("fetchedAt").GetString()!);
            Assert.Equal(last.GetProperty("batteryLevel").GetDouble(), seen.GetProperty("batteryLevel").GetDouble());
            await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_reader_that_does_not_read_keeps_only_its_newest_events()
    {
        await using var app = await StartWithAmpleQuotaAsync();
        var events = app.Services.GetRequiredService<LiveEvents>();
        using var stalled = events.Subscribe(null);

        string? lastFetchedAt = null;
        for (var i = 0; i < LiveEvents.ReaderCapacity + 10; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status?maxAge=0", Ct);
            lastFetchedAt = status.GetProperty("fetchedAt").GetString();
        }

        Assert.Equal(LiveEvents.ReaderCapacity, stalled.Events.Count);
        LiveEvent? newest = null;
        while (stalled.Events.TryRead(out var live))
        {
            newest = live;
        }

        Assert.Equal(lastFetchedAt, JsonDocument.Parse(newest!.Data).RootElement.GetProperty("fetchedAt").GetString());
    }

    [Fact]
    public async Task A_command_through_the_gateway_is_an_event_on_the_car_stream()
    {
        await using var app = await GatewayApp.StartAsync();
        var vin = RenaultCloud.DemoZoePhase2Vin;
        await using var stream = await EventStream.OpenAsync(app.Client, $"/api/vehicles/{vin}/events", Ct);

        var sent = await app.Client.PostAsync($"/api/vehicles/{vin}/commands/charge-start", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var command = await NextAsync(stream, "command");
        Assert.Equal(vin, command.GetProperty("vin").GetString());
        Assert.Equal("charge-start", command.GetProperty("command").GetString());
        Assert.True(command.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task A_refused_command_is_an_event_with_its_error_code()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });
        await using var stream = await EventStream.OpenAsync(app.Client, "/api/events", Ct);

        var sent = await app.Client.PostAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/commands/charge-stop", null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, sent.StatusCode);
        var command = await NextAsync(stream, "command");
        Assert.Equal("charge-stop", command.GetProperty("command").GetString());
        Assert.False(command.GetProperty("accepted").GetBoolean());
        Assert.Equal("forbidden", command.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_car_stream_shows_only_that_car()
    {
        await using var app = await GatewayApp.StartAsync();
        await using var stream = await EventStream.OpenAsync(app.Client, $"/api/vehicles/{RenaultCloud.DemoSpringVin}/events", Ct);

        await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status", Ct);
        await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoSpringVin}/status", Ct);

        var status = await NextAsync(stream, "status");
        Assert.Equal(RenaultCloud.DemoSpringVin, status.GetProperty("vin").GetString());
    }

    [Fact]
    public async Task An_idle_stream_sends_a_heartbeat_comment()
    {
        await using var app = await GatewayApp.StartAsync();
        await using var stream = await EventStream.OpenAsync(app.Client, "/api/events", Ct);

        // The stream arms its heartbeat just after sending the headers: keep moving the clock until it fires. Moving
        // the clock may also change an account's state (a token comes due), whose event is sent before the comment.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Patience);
        var line = stream.NextCommentAsync(deadline.Token);
        while (!line.IsCompleted)
        {
            app.Time.Advance(LiveEventsApi.HeartbeatInterval);
            await Task.WhenAny(line, Task.Delay(50, Ct));
        }

        Assert.Equal(": heartbeat", await line);
    }

    [Fact]
    public async Task A_stream_of_an_unknown_or_malformed_vin_is_refused_with_a_problem()
    {
        await using var app = await GatewayApp.StartAsync();

        var unknown = await app.Client.GetAsync("/api/vehicles/VF1AG000000000099/events", Ct);
        var malformed = await app.Client.GetAsync("/api/vehicles/not-a-vin/events", Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("vehicle_not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_request_that_does_not_ask_for_an_event_stream_is_a_406_that_says_how_instead_of_a_stream_that_never_ends()
    {
        await using var app = await GatewayApp.StartAsync();

        var all = await app.Client.GetAsync("/api/events", Ct);
        var car = await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/events", Ct);

        foreach (var answer in new[] { all, car })
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, answer.StatusCode);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("not_acceptable", problem.GetProperty("code").GetString());
            Assert.Contains("Accept: text/event-stream", problem.GetProperty("detail").GetString());
        }
    }

    private static async Task<JsonElement> ReadHundredTimesAsync(GatewayApp app, string url)
    {
        JsonElement last = default;
        for (var i = 0; i < 100; i++)
        {
            // A clock that moved makes every read a fresh one, so each of them reaches the cloud.
            app.Time.Advance(TimeSpan.FromSeconds(1));
            last = await app.Client.GetFromJsonAsync<JsonElement>(url + "?maxAge=0", Ct);
        }

        return last;
    }

    private static async Task<JsonElement> LastStatusAsync(EventStream stream, string fetchedAt)
    {
        while (true)
        {
            var status = await NextAsync(stream, "status");
            if (status.GetProperty("fetchedAt").GetString() == fetchedAt)
            {
                return status;
            }
        }
    }

    private static async Task<JsonElement> NextAsync(EventStream stream, string name)
    {
        while (true)
        {
            var (eventName, data) = await stream.NextEventAsync(Patience, Ct);
            if (eventName == name)
            {
                return JsonDocument.Parse(data).RootElement.Clone();
            }
        }
    }
}
