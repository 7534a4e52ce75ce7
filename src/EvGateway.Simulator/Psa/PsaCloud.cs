using System.Collections.Concurrent;
using EvGateway.Simulator.Cars;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The Stellantis (PSA) clouds for one demo Peugeot account with two cars: the OAuth server, the connected-car v4 REST
/// API and the remote-command MQTT broker, plus the controls tests and demos use to make them misbehave.
/// Thread-safe.
/// </summary>
public sealed class PsaCloud
{
    public const string Brand = "Peugeot";
    public const string Realm = "clientsB2CPeugeot";
    public const string DemoClientId = "5364defc-80e6-447b-bec6-4af8d1542cae";
    public const string DemoClientSecret = "iE0cD8bB0yJ0dS6rO3nN1hI2wU7uA5xR4gP7lD6vM0oH0nS8dN";
    public const string DemoRefreshToken = "7f3e1c9a-2b4d-4e6f-8a0c-1d3e5f7a9b2c";
    public const string DemoRemoteRefreshToken = "c4b2a0e8-6f4d-4c2b-9e7f-5a3c1e9d7b5f";
    public const string DemoAccountId = "ACNT200000328091";
    public const string DemoCustomerId = "AP-" + DemoAccountId;

    /// <summary>The owner who logs in on the simulated login page (the browser login of psa.md §1b).</summary>
    public const string DemoOwnerEmail = "demo@evgateway.local";
    public const string DemoOwnerPassword = "demo";

    public const string DemoE208Vin = "VR3UHZKXZLT123456";
    public const string DemoE208VehicleId = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
    public const string DemoHybridVin = "VR3MRHNSSLJ654321";
    public const string DemoHybridVehicleId = "Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2";

    public const string MqttHost = "127.0.0.1";
    public const string MqttUsername = "IMA_OAUTH_ACCESS_TOKEN";

    /// <summary>The IDP bans an account that refreshes more often than this within <see cref="RefreshWindow"/>.</summary>
    public const int MaxRefreshesPerWindow = 6;
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan RefreshBanDuration = TimeSpan.FromHours(1);

    /// <summary>How long a browser login's code can be exchanged ("exchange it at once": the real ones are as short-lived).</summary>
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromSeconds(60);

    private readonly object gate = new();
    private readonly Queue<PsaFault> faults = new();
    private ITimer? restartTimer;
    private int heldRequests;
    private readonly List<PsaPublishedCommand> published = [];
    private readonly ConcurrentDictionary<string, int> callCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PsaVehicle> vehiclesByVin;
    private readonly PsaBroker broker;
    private readonly CancellationTokenSource stopping = new();
    private ITimer? carWatch;

    internal PsaCloud(SimulatorOptions options, Uri baseAddress, int mqttPort)
    {
        Time = options.TimeProvider;
        TokenUrl = new Uri(baseAddress, "psa/idp/am/oauth2/access_token");
        AuthorizeUrl = new Uri(baseAddress, "psa/idp/am/oauth2/authorize");
        CarAssociationsUrl = new Uri(baseAddress, "psa/api/applications/cvs/v4/mauv/car-associations");
        AuthorizationCodes = new PsaAuthorizationCodes(Time);
        ApiUrl = new Uri(baseAddress, "psa/api/connectedcar/v4");
        RemoteTokenUrl = new Uri(ApiUrl + "/virtualkey/remoteaccess/token");
        Identity = new PsaIdentityProvider(Time, options.PsaAccessTokenLifetime);
        RemoteAccess = new PsaRemoteAccess(Time, options.PsaRemoteTokenLifetime, options.PsaRemoteRefreshTokenIdleLifetime);
        Pairing = new PsaPairing(Time, baseAddress, options.LoggerFactory.CreateLogger<PsaPairing>());
        Vehicles = CreateDemoVehicles(Time, options.CarTimeZone);
        vehiclesByVin = Vehicles.ToDictionary(v => v.Vin, StringComparer.Ordinal);
        broker = new PsaBroker(mqttPort, options.PsaMqttTls, RemoteAccess, Record,
            new PsaRemoteServices(RemoteAccess, FindByVin, Time), Time);
    }

    /// <summary>OAuth token endpoint (configure as Psa:TokenUrl).</summary>
    public Uri TokenUrl { get; }

    /// <summary>The login page of the browser login (configure as Psa:AuthorizeUrl).</summary>
    public Uri AuthorizeUrl { get; }

    /// <summary>Where the customer id is read after a browser login (configure as Psa:CarAssociationsUrl).</summary>
    public Uri CarAssociationsUrl { get; }

    /// <summary>Connected-car v4 root, no trailing slash (configure as Psa:ApiUrl).</summary>
    public Uri ApiUrl { get; }

    /// <summary>Remote-command token endpoint (configure as Psa:RemoteTokenUrl).</summary>
    public Uri RemoteTokenUrl { get; }

    /// <summary>The SMS + PIN pairing and the inWebo OTP server behind the password grant.</summary>
    public PsaPairing Pairing { get; }

    /// <summary>Loopback port of the MQTT broker (MQTT 3.1.1; configure as Psa:Mqtt:Port).</summary>
    public int MqttPort => broker.Port;

    /// <summary>True when the broker speaks TLS (configure as Psa:Mqtt:UseTls).</summary>
    public bool MqttUsesTls => broker.CaCertificatePem is not null;

    /// <summary>
    /// The PEM certificate of the authority behind the TLS broker's certificate, or null on plain TCP: written to a
    /// file and named in Psa:Mqtt:CaCertificateFile, it is what lets the gateway trust the broker.
    /// </summary>
    public string? MqttCaCertificatePem => broker.CaCertificatePem;

    /// <summary>Every refresh_token grant the OAuth endpoint received from the right client, accepted or not.</summary>
    public int RefreshCount => Identity.RefreshCount;

    /// <summary>Every refresh_token grant the remote-token endpoint received, accepted or not.</summary>
    public int RemoteTokenRefreshCount => RemoteAccess.RefreshCount;

    /// <summary>The refresh token a client must present next; the one configured at start dies after the first refresh.</summary>
    public string CurrentRefreshToken => Identity.CurrentRefreshToken;

    /// <summary>The remote-command refresh token a client must present next.</summary>
    public string CurrentRemoteRefreshToken => RemoteAccess.CurrentRefreshToken;

    /// <summary>Every remote access token handed out so far, oldest first, so tests can tell it from other tokens and prove none leaks.</summary>
    public IReadOnlyList<string> IssuedRemoteTokens => RemoteAccess.Issued;

    /// <summary>Every CONNECT the broker received, accepted or refused.</summary>
    public int BrokerConnectAttempts => broker.ConnectAttempts;

    /// <summary>Command envelopes received by the broker, oldest first.</summary>
    public IReadOnlyList<PsaPublishedCommand> Published
    {
        get { lock (gate) return published.ToArray(); }
    }

    internal TimeProvider Time { get; }
    internal PsaIdentityProvider Identity { get; }
    internal PsaAuthorizationCodes AuthorizationCodes { get; }
    internal PsaRemoteAccess RemoteAccess { get; }
    internal IReadOnlyList<PsaVehicle> Vehicles { get; }
    internal CancellationToken Stopping => stopping.Token;

    public SimulatedCar Car(string vin) => Vehicle(vin).Car;

    /// <summary>
    /// How many times the car carried out a remote command of <paramref name="service"/> ("/Horn"), unlike
    /// <see cref="Published"/>, which also lists envelopes refused before the car saw them (a lapsed token).
    /// </summary>
    public int TimesObeyed(string vin, string service) => Vehicle(vin).TimesObeyed(service);

    /// <summary>Sets the state of health the cloud reports for the car (null: none, as on cars that do not report it).</summary>
    public void SetBatteryHealth(string vin, double? percent) => Vehicle(vin).BatteryHealthPercent = percent;

    /// <summary>An asleep car answers remote commands with 300/900 except the wake-up, and the REST status stays frozen.</summary>
    public void SetAsleep(string vin, bool asleep) => Vehicle(vin).SetAsleep(asleep);

    /// <summary>True until a /VehCharge/state command (or <see cref="SetAsleep"/>) wakes the car.</summary>
    public bool IsAsleep(string vin) => Vehicle(vin).IsAsleep;

    /// <summary>A car in privacy mode refuses remote commands with 422.</summary>
    public void SetPrivacy(string vin, bool privacy) => Vehicle(vin).SetPrivacy(privacy);

    /// <summary>An unresponsive car (no network) never answers remote commands.</summary>
    public void SetUnresponsive(string vin, bool unresponsive) => Vehicle(vin).SetUnresponsive(unresponsive);

    /// <summary>
    /// Every remote token issued so far stops working, as after their 899 s: the broker drops the sessions that logged
    /// in with one and refuses them at CONNECT, envelopes carrying one get return_code 400; refresh tokens keep working.
    /// </summary>
    public Task ExpireRemoteTokensAsync()
    {
        RemoteAccess.RevokeAll();
        return broker.DropLapsedSessionsAsync();
    }

    /// <summary>
    /// Every remote token issued so far is revoked before its time: refused at CONNECT and answered with return_code 400
    /// in envelopes, while the sessions already open stay up until their token's announced expiry.
    /// </summary>
    public void RevokeRemoteTokens() => RemoteAccess.RevokeAll();

    /// <summary>
    /// The remote-command refresh token a client holds stops working (as when it lapsed or PSA dropped it): only the
    /// password grant with a one-time password of the paired soft token gets a new one.
    /// </summary>
    public void RevokeRemoteRefreshToken() => RemoteAccess.RevokeRefreshToken();

    /// <summary>While on, the broker refuses every CONNECT as not authorized, as when the account's remote access is suspended.</summary>
    public void RefuseBrokerLogins(bool refuse) => broker.RefusingLogins = refuse;

    /// <summary>Every OAuth access token issued so far is revoked: the next REST call answers 401 until the client refreshes.</summary>
    public void RevokeAccessTokens() => Identity.RevokeAccessTokens();

    /// <summary>
    /// The broker drops every connection at once and, while <paramref name="down"/> lasts, refuses to let anyone
    /// back in, as during a broker restart; then logins work again.
    /// </summary>
    public async Task RestartBrokerAsync(TimeSpan down)
    {
        broker.RefusingLogins = true;
        await broker.DropAllSessionsAsync();
        restartTimer?.Dispose();
        restartTimer = null;
        if (down <= TimeSpan.Zero)
        {
            broker.RefusingLogins = false;
        }
        else
        {
            restartTimer = Time.CreateTimer(_ => broker.RefusingLogins = false, null, down, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Requests held unanswered by a timeout fault right now: their client only gives up when its clock moves.</summary>
    public int HeldRequests => Volatile.Read(ref heldRequests);

    internal IDisposable Hold()
    {
        Interlocked.Increment(ref heldRequests);
        return new Release(() => Interlocked.Decrement(ref heldRequests));
    }

    /// <summary>Forgets every fault still waiting to be answered.</summary>
    public void ClearFaults()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> connected-car REST calls fail with <paramref name="fault"/>.</summary>
    public void FailNext(int count, PsaFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                faults.Enqueue(fault);
            }
        }
    }

    /// <summary>
    /// REST calls received for a path relative to <see cref="ApiUrl"/>: either a concrete one
    /// ("/user/vehicles/A1b2.../status") or a route template counting every vehicle ("/user/vehicles/{id}/status").
    /// </summary>
    public int CallCount(string path) => callCounts.GetValueOrDefault(path);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        PsaHttpApi.Map(endpoints, this);
        PsaLoginPage.Map(endpoints, this);
        PsaControlApi.Map(endpoints, this);
        PsaPairing.Map(endpoints, this);
    }

    internal async Task StartAsync()
    {
        await broker.StartAsync();
        // Cars push an event when their charge status changes by itself (a delayed start, a full battery), not only
        // after a command; once a simulated minute is as fine-grained as the car's own charge integration.
        carWatch = Time.CreateTimer(_ => AnnounceChargeStatusChanges(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    internal async Task StopAsync()
    {
        // Not disposed: requests still in flight until Kestrel stops may read the token.
        await stopping.CancelAsync();
        restartTimer?.Dispose();
        if (carWatch is not null)
        {
            await carWatch.DisposeAsync();
        }

        await broker.StopAsync();
    }

    internal PsaVehicle? FindById(string id) => Vehicles.FirstOrDefault(v => v.Id == id);

    internal PsaVehicle? FindByVin(string vin) => vehiclesByVin.GetValueOrDefault(vin);

    internal PsaVehicle Vehicle(string vin) =>
        FindByVin(vin) ?? throw new ArgumentException($"No simulated PSA car has VIN {vin}.", nameof(vin));

    internal bool TryTakeFault(out PsaFault fault)
    {
        lock (gate)
        {
            return faults.TryDequeue(out fault);
        }
    }

    internal void CountCall(string path, string? template)
    {
        callCounts.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (template is not null && template != path)
        {
            callCounts.AddOrUpdate(template, 1, (_, n) => n + 1);
        }
    }

    private void AnnounceChargeStatusChanges()
    {
        foreach (var vehicle in Vehicles)
        {
            if (vehicle.TakeChargeStatusChange() is { } view)
            {
                broker.Announce(new OutgoingMessage(PsaTopics.Event(vehicle.Vin), PsaDocuments.ChargeEvent(view, Time.GetUtcNow())));
            }
        }
    }

    private void Record(PsaPublishedCommand command)
    {
        lock (gate)
        {
            published.Add(command);
        }
    }

    private static PsaVehicle[] CreateDemoVehicles(TimeProvider time, TimeZoneInfo carTimeZone)
    {
        var e208 = new SimulatedCar(DemoE208Vin, time, new CarSpec("e-208", CapacityKwh: 46, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 15.6),
            level: 70, plugged: true, charging: true, odometerKm: 1107.1, latitude: 49.96119, longitude: 9.65457)
        { Altitude = 21 };
        var hybrid = new SimulatedCar(DemoHybridVin, time, new CarSpec("3008 Hybrid4", CapacityKwh: 13.2, ChargePowerKw: 3.7, ConsumptionKwhPer100Km: 23),
            level: 59, plugged: false, charging: false, odometerKm: 3196.5, latitude: 47.274, longitude: -1.59008)
        { Altitude = 30 };
        return
        [
            new PsaVehicle(DemoE208VehicleId, e208,
                new PsaVehicleTraits("e-208", LegacyPreconditioningSpelling: true, AuxiliaryBatteryPercent: 99, Fuel: null,
                    DelayedChargeTime: new TimeOnly(22, 30), BatteryHealthPercent: 97),
                time, carTimeZone),
            new PsaVehicle(DemoHybridVehicleId, hybrid,
                new PsaVehicleTraits("3008 Hybrid4", LegacyPreconditioningSpelling: false, AuxiliaryBatteryPercent: 83.5,
                    Fuel: new PsaFuelTank(LevelPercent: 62, AutonomyKm: 410), DelayedChargeTime: new TimeOnly(22, 31),
                    BatteryHealthPercent: 90),
                time, carTimeZone),
        ];
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
