using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Chaos;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace EvGateway.Tests.Soak;

/// <summary>
/// The gateway through hours of simulated faults: readers, commands and charge-control changes run while the clouds
/// answer 429s, 500s, HTML 502s, time out, revoke tokens, drop the broker and fall silent, at random from a seed. A run
/// lasts <c>EVGW_SOAK_HOURS</c> simulated hours (3 by default, about a minute here); EVGW_SOAK_SEED replays one.
/// </summary>
public sealed class ChaosSoakTests
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private const string Megane = RenaultCloud.DemoMeganeVin;
    private const string E208 = PsaCloud.DemoE208Vin;
    private static readonly string[] Cars = [Zoe, Megane, E208, PsaCloud.DemoHybridVin];

    // The codes a cloud failure may surface as; anything else from a 5xx, or a plain 500, is a bug.
    private static readonly HashSet<string> MappedFailureCodes =
    [
        ErrorCodes.UpstreamUnavailable, ErrorCodes.UpstreamTimeout, ErrorCodes.UpstreamRateLimited, ErrorCodes.CapabilityNotSupported,
        ErrorCodes.InvalidCredentials, ErrorCodes.VehicleAsleep, ErrorCodes.PrivacyMode, ErrorCodes.Conflict, ErrorCodes.WakeUpLimit,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hours_of_random_cloud_faults_leave_no_unmapped_error_no_command_sent_twice_no_setting_lost_and_every_account_connected()
    {
        var progress = new Progress();
        var run = SoakAsync(progress);
        try
        {
            // A gateway that hangs is a failure of its own, named with where it hung, not a stuck test run.
            await run.WaitAsync(TimeSpan.FromMinutes(3), Ct);
        }
        catch (TimeoutException)
        {
            throw new XunitException($"The soak did not finish within 3 minutes; it was at: {progress.Where}");
        }
    }

    private sealed class Progress
    {
        public volatile string Where = "starting";
    }

    private static async Task SoakAsync(Progress progress)
    {
        var hours = int.Parse(Environment.GetEnvironmentVariable("EVGW_SOAK_HOURS") ?? "3", CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable("EVGW_SOAK_SEED") ?? "20261130", CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 60 });
        await using var app = GatewayApp.Start(bed);
        var outbound = app.Outbound;
        var log = new SoakLog(seed, app.Log);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/vehicles", Ct)).StatusCode);

        var random = new Random(seed);
        var threshold = 80;
        await SettleAsync(time, outbound, log, () => false, ("set charge control", app.Client.PutAsJsonAsync($"/api/vehicles/{E208}/charge-control", new { percentageThreshold = threshold }, Ct)));
        var climateAttempts = 0;
        var hornAttempts = 0;
        var climateAccepted = 0;
        var hornAccepted = 0;
        app.Simulator.Renault.ResetCounters();
        var hornsBefore = HornsPublished(app.Simulator);

        await using (var chaos = new ChaosSchedule(app.Simulator, time, seed, TimeSpan.FromMinutes(4), rate: 0.6))
        {
            for (var minute = 0; minute < hours * 60; minute++)
            {
                progress.Where = $"simulated minute {minute} of {hours * 60}, faults so far: {string.Join(", ", chaos.Injected.TakeLast(3))}";
                var calls = new List<(string, Task<HttpResponseMessage>)>();
                foreach (var _ in Enumerable.Range(0, 3))
                {
                    var car = Cars[random.Next(Cars.Length)];
                    var path = random.Next(4) switch
                    {
                        0 => $"/api/vehicles/{car}/status?maxAge=0",
                        1 => $"/get_vehicleinfo/{car}",
                        2 => $"/api/vehicles/{car}/status",
                        _ => $"/api/vehicles/{car}/charge-control",
                    };
                    calls.Add((path, app.Client.GetAsync(path, Ct)));
                }

                if (minute % 20 == 7)
                {
                    climateAttempts++;
                    calls.Add(("climate-start", Counted(app.Client.PostAsync($"/api/vehicles/{Zoe}/commands/climate-start?temperature=20", null, Ct), () => climateAccepted++)));
                }

                if (minute % 25 == 11)
                {
                    hornAttempts++;
                    calls.Add(("horn", Counted(app.Client.PostAsync($"/api/vehicles/{E208}/commands/horn?count=1", null, Ct), () => hornAccepted++)));
                }

                if (minute % 45 == 30)
                {
                    threshold = threshold == 80 ? 90 : 80;
                    calls.Add(("set charge control", app.Client.PutAsJsonAsync($"/api/vehicles/{E208}/charge-control", new { percentageThreshold = threshold }, Ct)));
                }

                try
                {
                    await SettleAsync(time, outbound, log, () => chaos.Holding, [.. calls]);
                }
                catch (Exception failure)
                {
                    progress.Where += $"; failed there: {failure.Message}";
                    throw;
                }
            }

            log.Faults = chaos.Injected;
            progress.Where = "ending the faults";
            await chaos.EndAsync();
            progress.Where = "recovering";
        }

        // Faults over: within half an hour every account is connected again by itself, and a read works.
        for (var minute = 0; minute < 30 && !await AllConnectedAsync(app); minute++)
        {
            await SettleAsync(time, outbound, log, () => false, ("Zoe status", app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct)),
                ("e-208 status", app.Client.GetAsync($"/api/vehicles/{E208}/status", Ct)));
        }

        progress.Where = "checking";
        log.AssertHeld(await AllConnectedAsync(app), "every account connected again 30 simulated minutes after the faults ended: " +
            await app.Client.GetStringAsync("/api/accounts", Ct));
        log.AssertHeld(log.Unmapped.Count == 0, "no 5xx outside the mapped cloud failures, no stack trace: " + string.Join("; ", log.Unmapped.Take(5)));
        log.AssertHeld(app.Simulator.Renault.CallCount("hvac-start") <= climateAttempts && app.Simulator.Renault.CallCount("hvac-start") >= climateAccepted,
            $"each climate command reached the cloud at most once ({app.Simulator.Renault.CallCount("hvac-start")} arrived, {climateAttempts} sent, {climateAccepted} accepted)");
        var horns = HornsPublished(app.Simulator) - hornsBefore;
        log.AssertHeld(horns <= hornAttempts && horns >= hornAccepted, $"each horn command was carried out at most once ({horns} carried out, {hornAttempts} sent, {hornAccepted} accepted)");
        var kept = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{E208}/charge-control", Ct);
        log.AssertHeld(kept.GetProperty("percentageThreshold").GetInt32() == threshold, $"the last charge-control setting ({threshold} %) was kept");
        log.AssertHeld(app.Simulator.Renault.QuotaRefusals == 0, $"the Renault hourly quota was never exceeded ({app.Simulator.Renault.QuotaRefusals} calls refused for quota)");
        log.AssertHeld(log.Faults.Count >= hours * 5, $"faults were injected ({log.Faults.Count})");
        TestContext.Current.TestOutputHelper?.WriteLine(log.Summary(hours));
    }

    private static async Task<HttpResponseMessage> Counted(Task<HttpResponseMessage> call, Action accepted)
    {
        var response = await call;
        if (response.IsSuccessStatusCode)
        {
            accepted();
        }

        return response;
    }

    // What the car carried out: an envelope refused for a lapsed token and sent again with a new one is not a second horn.
    private static int HornsPublished(CloudSimulator simulator) => simulator.Psa.TimesObeyed(E208, "/Horn");

    private static async Task<bool> AllConnectedAsync(GatewayApp app)
    {
        var accounts = await app.Client.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        // Connected, and PSA's remote commands still paired: a fault must never cost the owner a new SMS + PIN pairing.
        return accounts.EnumerateArray().All(a => a.GetProperty("state").GetString() == "connected"
            && a.GetProperty("remoteCommands").GetString() is null or "paired");
    }

    // One simulated minute. The calls run; while a fault holds one waiting for the gateway's own clock (a request the
    // cloud never answers, a command to a silent car) the clock moves so the gateway can give up. A call that waits on
    // the clock for another reason (a retry's pause of a second or two) gets five seconds; the clock only moves on
    // beyond that after ten seconds of real time. A call that is merely slow on a busy machine must not see a warped
    // clock turn it into a timeout the clouds never caused: a token refresh cut off after the cloud rotated the token
    // loses it, which the first versions of this test did (at fifty simulated seconds per real one) and no real network
    // does. Then the rest of the minute passes.
    private static async Task SettleAsync(FakeTimeProvider time, OutboundCalls clouds, SoakLog log, Func<bool> holding, params (string What, Task<HttpResponseMessage> Call)[] calls)
    {
        var all = Task.WhenAll(calls.Select(c => c.Call));
        var advanced = TimeSpan.Zero;
        var unheld = TimeSpan.Zero;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var lastStep = TimeSpan.Zero;
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(20, Ct));
            if (all.IsCompleted)
            {
                break;
            }

            // At most ten simulated seconds per real second: a token refresh (60 s timeout) would have to hang six real
            // seconds to be cut off, a held read (10 s) or a command to a silent car (30 s) ends in one to three.
            var held = holding();
            var stepDue = waited.Elapsed > TimeSpan.FromMilliseconds(300) && waited.Elapsed - lastStep >= TimeSpan.FromMilliseconds(100);
            if (stepDue && (held || unheld < TimeSpan.FromSeconds(5) || waited.Elapsed > TimeSpan.FromSeconds(10)))
            {
                await AdvanceAsync(time, TimeSpan.FromSeconds(1));
                advanced += TimeSpan.FromSeconds(1);
                unheld += held ? TimeSpan.Zero : TimeSpan.FromSeconds(1);
                lastStep = waited.Elapsed;
            }

            if (advanced > TimeSpan.FromMinutes(10))
            {
                throw new XunitException("Calls still unanswered after 10 simulated minutes: " +
                    string.Join(", ", calls.Where(c => !c.Call.IsCompleted).Select(c => c.What)) + "\n" + log.Summary(0));
            }
        }

        foreach (var response in await all)
        {
            await log.RecordAsync(response);
            response.Dispose();
        }

        // The rest of the minute: at ten simulated seconds per real one while the gateway has a call to a cloud in flight
        // (a background refresh or check of its own), in one jump once it has none.
        var calm = System.Diagnostics.Stopwatch.StartNew();
        while (advanced < TimeSpan.FromMinutes(1) && clouds.InFlight > 0 && calm.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, Ct);
            await AdvanceAsync(time, TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
        }

        if (advanced < TimeSpan.FromMinutes(1))
        {
            await AdvanceAsync(time, TimeSpan.FromMinutes(1) - advanced);
        }
    }

    // Timers run on the advancing thread; one that blocks would hang the run without saying so.
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by)
    {
        var advancing = Task.Run(() => time.Advance(by));
        if (await Task.WhenAny(advancing, Task.Delay(TimeSpan.FromSeconds(20), Ct)) != advancing)
        {
            throw new XunitException($"Moving the clock by {by} did not return within 20 s: a timer callback blocks.");
        }

        await advancing;
    }

    private sealed class SoakLog(int seed, CapturedLog gatewayLog)
    {
        private readonly Dictionary<string, int> answers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> examples = new(StringComparer.Ordinal);

        public List<string> Unmapped { get; } = [];

        public IReadOnlyList<InjectedFault> Faults { get; set; } = [];

        public async Task RecordAsync(HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(Ct);
            string? code = null;
            if (status >= 400 && body.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(body);
                code = json.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            }

            var key = $"{status} {code}".Trim();
            answers[key] = answers.GetValueOrDefault(key) + 1;
            var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} → {status} {Shorten(body)}";
            if (status >= 400)
            {
                examples.TryAdd(key, what);
            }

            if (body.Contains("   at ", StringComparison.Ordinal) || status == 500
                || (status > 500 && (code is null ? !body.Contains("\"error\"", StringComparison.Ordinal) : !MappedFailureCodes.Contains(code))))
            {
                Unmapped.Add(what);
            }
        }

        public void AssertHeld(bool held, string what)
        {
            if (!held)
            {
                // Polly's own lines repeat what the gateway's say; the gateway's name what it did about each fault.
                var warnings = gatewayLog.Lines
                    .Where(l => (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)) && !l.Contains(" Polly:", StringComparison.Ordinal))
                    .Select(l => Shorten(l.Split(" {OriginalFormat}")[0])).Distinct().Take(30);
                throw new XunitException($"Soak seed {seed}: expected {what}.\n{Summary(0)}\nThe gateway's warnings:\n{string.Join("\n", warnings)}");
            }
        }

        public string Summary(int hours) =>
            $"Soak (seed {seed}{(hours > 0 ? $", {hours} simulated hours" : "")}): {Faults.Count} faults injected " +
            $"({string.Join(", ", Faults.GroupBy(f => f.Fault).Select(g => $"{g.Key} {g.Count()}"))}); answers: " +
            string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} ×{a.Value}")) +
            "; for example: " + string.Join(" | ", examples.Values);

        private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body;
    }
}
