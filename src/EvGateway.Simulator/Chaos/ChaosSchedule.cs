using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;

namespace EvGateway.Simulator.Chaos;

/// <summary>A fault the chaos schedule can inject into the simulated clouds.</summary>
public enum ChaosFault
{
    /// <summary>The next Kamereon calls answer 429 err.func.wired.overloaded.</summary>
    RenaultQuota429,

    /// <summary>The next Kamereon calls answer 500.</summary>
    RenaultServerError500,

    /// <summary>The next Kamereon calls answer the front proxy's HTML 502.</summary>
    RenaultHtml502,

    /// <summary>The next Kamereon call never answers.</summary>
    RenaultTimeout,

    /// <summary>Gigya revokes the login tokens: the next login-token use fails and the client must log in again.</summary>
    RenaultLoginRevoked,

    /// <summary>The next PSA REST calls answer 429.</summary>
    PsaRateLimited429,

    /// <summary>The next PSA REST calls answer 500.</summary>
    PsaServerError500,

    /// <summary>The next PSA REST calls answer a load balancer's HTML 502.</summary>
    PsaHtml502,

    /// <summary>The next PSA REST call never answers.</summary>
    PsaTimeout,

    /// <summary>Every PSA access token is revoked: the next REST call answers 401.</summary>
    PsaAccessTokensRevoked,

    /// <summary>Every remote-command token is revoked: the broker refuses it at CONNECT.</summary>
    PsaRemoteTokensRevoked,

    /// <summary>The PSA broker drops every connection and refuses logins for a few minutes, as during a restart.</summary>
    PsaBrokerRestart,

    /// <summary>A PSA car stops answering remote commands for a while (no network in a car park).</summary>
    PsaCarSilent,
}

/// <summary>One fault the schedule injected, when (simulated time) and into what.</summary>
public sealed record InjectedFault(DateTimeOffset At, ChaosFault Fault, string? Vin);

/// <summary>
/// Injects faults into the simulated clouds at random moments on the simulator's clock, from a seed so that a failing
/// run can be replayed. Each tick (every <c>interval</c> of simulated time) picks one fault with probability
/// <c>rate</c>. <see cref="EndAsync"/> stops injecting and undoes what lasts (a broker that refuses logins, a silent car,
/// faults still queued), after which every client must recover by itself.
/// </summary>
public sealed class ChaosSchedule : IAsyncDisposable
{
    private static readonly TimeSpan BrokerDowntime = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CarSilence = TimeSpan.FromMinutes(20);
    private static readonly string[] PsaCars = [PsaCloud.DemoE208Vin, PsaCloud.DemoHybridVin];

    private readonly CloudSimulator simulator;
    private readonly ChaosFault[] faults;
    private readonly double rate;
    private readonly Random random;
    private readonly Lock gate = new();
    private readonly List<InjectedFault> injected = [];
    private readonly List<(string Vin, DateTimeOffset Until)> silentCars = [];
    private readonly List<Task> pending = [];
    private readonly ITimer timer;
    private bool ended;

    public ChaosSchedule(CloudSimulator simulator, TimeProvider time, int seed, TimeSpan interval, double rate, IEnumerable<ChaosFault>? faults = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(rate);
        this.simulator = simulator;
        this.rate = rate;
        this.faults = (faults ?? Enum.GetValues<ChaosFault>()).ToArray();
        random = new Random(seed);
        Time = time;
        timer = time.CreateTimer(_ => Tick(), null, interval, interval);
    }

    public TimeProvider Time { get; }

    /// <summary>
    /// True while a fault holds a client waiting for its own clock (a request held unanswered, a command to a silent
    /// car): a test on a fake clock must move it for that client to give up.
    /// </summary>
    public bool Holding
    {
        get
        {
            lock (gate)
            {
                return simulator.Renault.HeldRequests + simulator.Psa.HeldRequests > 0 || silentCars.Count > 0;
            }
        }
    }

    /// <summary>Every fault injected so far, in order.</summary>
    public IReadOnlyList<InjectedFault> Injected
    {
        get
        {
            lock (gate)
            {
                return injected.ToArray();
            }
        }
    }

    /// <summary>Stops injecting and undoes the lasting faults; the clouds then behave until the end of the run.</summary>
    public async Task EndAsync()
    {
        Task[] waiting;
        lock (gate)
        {
            ended = true;
            waiting = [.. pending];
        }

        await timer.DisposeAsync();
        // A broker restart disconnects clients, which may be waiting for their own clock to move; it is not waited
        // for longer than that takes in real time.
        await Task.WhenAny(Task.WhenAll(waiting), Task.Delay(TimeSpan.FromSeconds(10)));
        simulator.Renault.ClearFaults();
        simulator.Psa.ClearFaults();
        await simulator.Psa.RestartBrokerAsync(TimeSpan.Zero);
        foreach (var (vin, _) in silentCars)
        {
            simulator.Psa.SetUnresponsive(vin, false);
        }

        silentCars.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (!ended)
        {
            await EndAsync();
        }
    }

    private void Tick()
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            var now = Time.GetUtcNow();
            foreach (var (quiet, _) in silentCars.Where(car => car.Until <= now).ToList())
            {
                simulator.Psa.SetUnresponsive(quiet, false);
                silentCars.RemoveAll(car => car.Vin == quiet);
            }

            if (random.NextDouble() >= rate)
            {
                return;
            }

            var fault = faults[random.Next(faults.Length)];
            var burst = 1 + random.Next(3);
            string? vin = null;
            switch (fault)
            {
                case ChaosFault.RenaultQuota429:
                    simulator.Renault.FailNext(burst, RenaultFault.QuotaExceeded429);
                    break;
                case ChaosFault.RenaultServerError500:
                    simulator.Renault.FailNext(burst, RenaultFault.ServerError500);
                    break;
                case ChaosFault.RenaultHtml502:
                    simulator.Renault.FailNext(burst, RenaultFault.BadGateway502Html);
                    break;
                case ChaosFault.RenaultTimeout:
                    simulator.Renault.FailNext(1, RenaultFault.Timeout);
                    break;
                case ChaosFault.RenaultLoginRevoked:
                    simulator.Renault.RevokeLoginTokens();
                    break;
                case ChaosFault.PsaRateLimited429:
                    simulator.Psa.FailNext(burst, PsaFault.RateLimited);
                    break;
                case ChaosFault.PsaServerError500:
                    simulator.Psa.FailNext(burst, PsaFault.ServerError);
                    break;
                case ChaosFault.PsaHtml502:
                    simulator.Psa.FailNext(burst, PsaFault.BadGatewayHtml);
                    break;
                case ChaosFault.PsaTimeout:
                    simulator.Psa.FailNext(1, PsaFault.Timeout);
                    break;
                case ChaosFault.PsaAccessTokensRevoked:
                    simulator.Psa.RevokeAccessTokens();
                    break;
                case ChaosFault.PsaRemoteTokensRevoked:
                    simulator.Psa.RevokeRemoteTokens();
                    break;
                case ChaosFault.PsaBrokerRestart:
                    // Off the clock's thread: the broker's disconnects run the clients' handlers, which may wait on the clock.
                    pending.Add(Task.Run(() => simulator.Psa.RestartBrokerAsync(BrokerDowntime)));
                    break;
                case ChaosFault.PsaCarSilent:
                    vin = PsaCars[random.Next(PsaCars.Length)];
                    simulator.Psa.SetUnresponsive(vin, true);
                    silentCars.Add((vin, now + CarSilence));
                    break;
            }

            injected.Add(new InjectedFault(now, fault, vin));
        }
    }
}
