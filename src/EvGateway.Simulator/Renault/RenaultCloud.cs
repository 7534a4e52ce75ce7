using EvGateway.Simulator.Cars;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// Gigya + Kamereon fake. The gateway uses <see cref="GigyaUrl"/> and <see cref="KamereonUrl"/> exactly as it uses
/// the real roots, so every real path lives under them. Comes with a demo person owning a MYRENAULT account (Zoe
/// phase 2, Megane E-Tech, Zoe phase 1), a MYDACIA account (Spring) and an SFDC account without cars, and a second
/// demo person whose login needs the e-mailed code (<see cref="DemoTwoFactorUsername"/>). Tests steer it through this
/// class or the HTTP control API under /_control/renault; the "sent" codes are listed at <see cref="EmailsPageUrl"/>.
/// Thread-safe.
/// </summary>
public sealed class RenaultCloud
{
    public const string DefaultGigyaApiKey = "3_VgdkgtIRH3AdHvJm-cjV2ug2EFE0lxt0IJzMC4MFqZjFpn_GYFXVdNZ19L7wZX0N";
    public const string DefaultKamereonApiKey = "YjkKtHmGfaceeuExUDKGxrLZGGvtVS0J";

    public const string DemoUsername = "demo@evgateway.local";
    public const string DemoPassword = "demo";
    public const string DemoPersonId = "7b3f0c2e-5d1a-4e8b-9c6f-2a4d8e1b0c35";
    public const string DemoRenaultAccountId = "a1c4e7f0-3b6d-4a9c-8e2f-5d7b9c1e3a60";
    public const string DemoDaciaAccountId = "b2d5f8a1-4c7e-4b0d-9f3a-6e8c0d2f4b71";
    public const string DemoSfdcAccountId = "c3e6a9b2-5d8f-4c1e-8a4b-7f9d1e3a5c82";

    /// <summary>Zoe phase 2 (X102VE, ZE50 52 kWh): plugged in and charging.</summary>
    public const string DemoZoePhase2Vin = "VF1AG000164000001";

    /// <summary>Megane E-Tech (XCB1VE, 60 kWh): unplugged.</summary>
    public const string DemoMeganeVin = "VF1RCB00068000002";

    /// <summary>Zoe phase 1 (X101VE, ZE40 41 kWh): plugged in, not charging.</summary>
    public const string DemoZoePhase1Vin = "VF1AG000X57000003";

    /// <summary>Dacia Spring (XBG1VE, 26.8 kWh): unplugged, low battery.</summary>
    public const string DemoSpringVin = "UU1DBG00067000004";

    /// <summary>Renault 5 E-Tech (R5E1VE, 52 kWh): plugged in, charging; keeps its charging in KCM ev/settings.</summary>
    public const string DemoRenault5Vin = "VF1R5E00071000005";

    /// <summary>A login that needs the code Gigya e-mails (password <see cref="DemoPassword"/>); the first demo login does not.</summary>
    public const string DemoTwoFactorUsername = "tfa-demo@evgateway.local";
    public const string DemoTwoFactorPersonId = "4e9a2c71-8b3d-4f6e-a1c5-9d2b7e4f6a13";
    public const string DemoTwoFactorAccountId = "d4f7b0c3-6e9a-4d2f-9b5c-8a0e2f4b6d93";

    /// <summary>Megane E-Tech (XCB1VE, 60 kWh) of the two-factor demo login: plugged in, not charging.</summary>
    public const string DemoTwoFactorVin = "VF1RCB00068000006";

    private readonly TimeProvider time;
    private readonly TimeZoneInfo carZone;
    private readonly RenaultDirectory directory = new();
    private readonly GigyaEndpoints gigya;
    private readonly GigyaTwoFactor twoFactor;
    private readonly KamereonEndpoints kamereon;
    private volatile string gigyaApiKey = DefaultGigyaApiKey;
    private volatile string kamereonApiKey = DefaultKamereonApiKey;

    public RenaultCloud(SimulatorOptions options, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        time = options.TimeProvider;
        carZone = options.CarTimeZone;
        GigyaUrl = new Uri(baseAddress, "gigya");
        KamereonUrl = new Uri(baseAddress, "kamereon");
        EmailsPageUrl = new Uri(baseAddress, SimulatedEmailsPage.Path.TrimStart('/'));
        var jwt = new GigyaJwt(time, options.RenaultJwtLifetime);
        var answers = new GigyaAnswers(time);
        twoFactor = new GigyaTwoFactor(answers, time);
        gigya = new GigyaEndpoints(this, directory, jwt, twoFactor, answers);
        CallsPerHour = options.RenaultCallsPerHour;
        Quota = new KamereonQuota(time, options.RenaultCallsPerHour);
        kamereon = new KamereonEndpoints(this, directory, jwt, Quota, time);
        SeedDemoData();
    }

    /// <summary>Kamereon calls one account may make per rolling hour before 429.</summary>
    public int CallsPerHour { get; }

    public Uri GigyaUrl { get; }
    public Uri KamereonUrl { get; }

    /// <summary>A page listing the codes the simulated Gigya "e-mailed", newest first, for a person trying the demo.</summary>
    public Uri EmailsPageUrl { get; }
    internal RenaultFaults Faults { get; } = new();

    private int heldRequests;

    internal KamereonQuota Quota { get; }

    /// <summary>Kamereon calls refused because the account's hourly quota was used up (not injected 429s).</summary>
    public int QuotaRefusals => Quota.Refused;

    /// <summary>The Gigya ApiKey the cloud accepts; change it to simulate a rotated key.</summary>
    public string GigyaApiKey
    {
        get => gigyaApiKey;
        set => gigyaApiKey = value;
    }

    /// <summary>The Kamereon apikey the cloud accepts; change it to simulate a rotated key.</summary>
    public string KamereonApiKey
    {
        get => kamereonApiKey;
        set => kamereonApiKey = value;
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        gigya.Map(endpoints);
        kamereon.Map(endpoints);
        RenaultControlApi.Map(endpoints, this);
        SimulatedEmailsPage.Map(endpoints, this);
    }

    /// <summary>
    /// The next <paramref name="count"/> calls fail with <paramref name="fault"/>. Without a call name the next
    /// Kamereon calls fail; with one (a Gigya method such as <c>accounts.getJWT</c> or a last Kamereon path segment
    /// such as <c>battery-status</c>) only calls of that name do.
    /// </summary>
    public void FailNext(int count, RenaultFault fault, string? callName = null) => Faults.FailNext(count, fault, callName);

    /// <summary>Forgets every fault still waiting to be answered.</summary>
    public void ClearFaults() => Faults.Clear();

    /// <summary>Requests held unanswered by a timeout fault right now: their client only gives up when its clock moves.</summary>
    public int HeldRequests => Volatile.Read(ref heldRequests);

    /// <summary>Invalidates every Gigya login token (getJWT/getAccountInfo then answer 403005). Issued JWTs stay valid.</summary>
    public void RevokeLoginTokens() => gigya.RevokeLoginTokens();

    /// <summary>
    /// Makes a login need the e-mailed code: login answers 403101 with a regToken unless the device is remembered, and
    /// sessions opened before answer 403013 on getJWT.
    /// </summary>
    public void SetTwoFactorRequired(bool required, string username = DemoUsername) =>
        (directory.PersonByLogin(username) ?? throw new KeyNotFoundException($"No person with login {username}.")).TwoFactorRequired = required;

    /// <summary>Every code "e-mailed" so far, oldest first.</summary>
    public IReadOnlyList<SimulatedEmail> SentEmails() => twoFactor.Emails();

    /// <summary>Raised for each code "e-mailed"; demo mode logs it, marked SIMULATED, so a person can read it.</summary>
    public event Action<SimulatedEmail>? CodeEmailed
    {
        add => twoFactor.CodeEmailed += value;
        remove => twoFactor.CodeEmailed -= value;
    }

    /// <summary>Forgets every device remembered by "don't ask again on this device": the next login needs a code again.</summary>
    public void ForgetRememberedDevices() => twoFactor.ForgetDevices();

    /// <summary>Calls received by name: a Gigya method (<c>accounts.login</c>) or a last Kamereon path segment
    /// (<c>battery-status</c>, <c>charging-start</c>, <c>pause-resume</c>; <c>persons</c> and <c>vehicles</c> for the lists).</summary>
    public int CallCount(string name) => Faults.CallCount(name);

    public IReadOnlyDictionary<string, int> CallCounts() => Faults.CallCounts();

    public void ResetCounters() => Faults.ResetCounters();

    /// <summary>The simulated car with this VIN.</summary>
    public SimulatedCar Car(string vin) => Vehicle(vin).Car;

    /// <summary>The car with what the cloud stores for it (charge mode, schedules, limits).</summary>
    public RenaultVehicle Vehicle(string vin) =>
        directory.Vehicle(vin) ?? throw new KeyNotFoundException($"No Renault vehicle with VIN {vin}.");

    public IReadOnlyList<RenaultAccount> Accounts(string personId = DemoPersonId) => directory.AccountsOf(personId);

    public IReadOnlyList<RenaultVehicle> Vehicles(string accountId) => directory.VehiclesOf(accountId);

    /// <summary>Adds a login; the person has no accounts until <see cref="AddAccount"/>.</summary>
    public RenaultPerson AddPerson(string username, string password) =>
        directory.AddPerson(new RenaultPerson(Guid.NewGuid().ToString(), username, password));

    /// <summary>Adds a Kamereon account (MYRENAULT, MYDACIA, MYALPINE, SFDC) to a person.</summary>
    public RenaultAccount AddAccount(string accountType, string personId = DemoPersonId) =>
        directory.AddAccount(new RenaultAccount(Guid.NewGuid().ToString(), accountType, personId));

    /// <summary>
    /// Adds a car with any model code to an account. Known codes get their renault.md §4 capabilities; an unknown code
    /// gets the generic car-adapter reads plus charging-start and answers 404/403 for the rest.
    /// </summary>
    public RenaultVehicle AddVehicle(string accountId, string vin, string modelCode, CarSpec spec, string? modelLabel = null,
        string brand = "RENAULT", double level = 50, bool plugged = false, bool charging = false, double odometerKm = 1000,
        double latitude = 48.8566, double longitude = 2.3522)
    {
        var car = new SimulatedCar(vin, time, spec, level, plugged, charging, odometerKm, latitude, longitude);
        return directory.AddVehicle(new RenaultVehicle(accountId, brand, modelLabel ?? spec.Model.ToUpperInvariant(),
            RenaultModels.For(modelCode), car, time, carZone));
    }

    internal async Task<IResult> AnswerFault(HttpContext context, RenaultFault fault)
    {
        switch (fault)
        {
            case RenaultFault.ServerError500:
                return KamereonErrors.ServerError();
            case RenaultFault.BadGateway502Html:
                return KamereonErrors.BadGateway();
            case RenaultFault.QuotaExceeded429:
                return KamereonErrors.QuotaExceeded();
            default:
                // Hangs until the client gives up or the simulator stops, whichever comes first.
                var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    Interlocked.Increment(ref heldRequests);
                    try
                    {
                        await Task.Delay(TimeSpan.FromMinutes(30), hang.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client is gone; there is nobody to answer.
                    }
                    finally
                    {
                        Interlocked.Decrement(ref heldRequests);
                    }
                }

                return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
        }
    }

    private void SeedDemoData()
    {
        directory.AddPerson(new RenaultPerson(DemoPersonId, DemoUsername, DemoPassword));
        directory.AddAccount(new RenaultAccount(DemoRenaultAccountId, "MYRENAULT", DemoPersonId));
        directory.AddAccount(new RenaultAccount(DemoDaciaAccountId, "MYDACIA", DemoPersonId));
        directory.AddAccount(new RenaultAccount(DemoSfdcAccountId, "SFDC", DemoPersonId));

        AddVehicle(DemoRenaultAccountId, DemoZoePhase2Vin, "X102VE", RenaultCarSpecs.ZoeZe50, "ZOE",
            level: 46, plugged: true, charging: true, odometerKm: 23_415.6, latitude: 48.8566, longitude: 2.3522);
        AddVehicle(DemoRenaultAccountId, DemoMeganeVin, "XCB1VE", RenaultCarSpecs.MeganeETech, "MEGANE E-TECH",
            level: 78, odometerKm: 8_902.3, latitude: 45.7640, longitude: 4.8357);
        AddVehicle(DemoRenaultAccountId, DemoZoePhase1Vin, "X101VE", RenaultCarSpecs.ZoeZe40, "ZOE",
            level: 63, plugged: true, odometerKm: 71_230.9, latitude: 47.2184, longitude: -1.5536);
        AddVehicle(DemoDaciaAccountId, DemoSpringVin, "XBG1VE", RenaultCarSpecs.DaciaSpring, "SPRING", brand: "DACIA",
            level: 22, odometerKm: 15_004.1, latitude: 43.6047, longitude: 1.4442);
        AddVehicle(DemoRenaultAccountId, DemoRenault5Vin, "R5E1VE", RenaultCarSpecs.Renault5, "R5 E-TECH",
            level: 35, plugged: true, charging: true, odometerKm: 4_120.4, latitude: 49.4431, longitude: 1.0993);

        var twoFactorPerson = directory.AddPerson(new RenaultPerson(DemoTwoFactorPersonId, DemoTwoFactorUsername, DemoPassword));
        twoFactorPerson.TwoFactorRequired = true;
        directory.AddAccount(new RenaultAccount(DemoTwoFactorAccountId, "MYRENAULT", DemoTwoFactorPersonId));
        AddVehicle(DemoTwoFactorAccountId, DemoTwoFactorVin, "XCB1VE", RenaultCarSpecs.MeganeETech, "MEGANE E-TECH",
            level: 57, plugged: true, odometerKm: 12_377.8, latitude: 50.6292, longitude: 3.0573);
    }
}

/// <summary>Battery and charger of the simulated Renault group cars (usable capacity, AC on-board charger).</summary>
public static class RenaultCarSpecs
{
    public static readonly CarSpec ZoeZe50 = new("Zoe ZE50", CapacityKwh: 52, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 17.2);
    public static readonly CarSpec ZoeZe40 = new("Zoe ZE40", CapacityKwh: 41, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 16.5);
    public static readonly CarSpec MeganeETech = new("Megane E-Tech", CapacityKwh: 60, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 16.1);
    public static readonly CarSpec DaciaSpring = new("Dacia Spring", CapacityKwh: 26.8, ChargePowerKw: 6.6, ConsumptionKwhPer100Km: 13.9);
    public static readonly CarSpec Renault5 = new("Renault 5 E-Tech", CapacityKwh: 52, ChargePowerKw: 11, ConsumptionKwhPer100Km: 15.5);
    public static readonly CarSpec MasterETech = new("Master E-Tech", CapacityKwh: 87, ChargePowerKw: 11, ConsumptionKwhPer100Km: 31);
}
