using System.Collections.Concurrent;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// Peugeot, Citroën, DS, Opel and Vauxhall cars: reads over connected-car REST v4, commands over the MQTT broker.
/// Remembers each car's last status so a pushed event can be merged into a complete one and so charge stops know
/// the car's own delayed hour.
/// </summary>
internal sealed class PsaProvider : IVehicleProvider, IDisposable
{
    public const string MakerName = "Psa";

    private static readonly TimeSpan VehicleListLifetime = TimeSpan.FromHours(1);

    private readonly IPsaConnectedCarApi api;
    private readonly PsaTokenProvider tokens;
    private readonly PsaAccount account;
    private readonly TimeProvider time;
    private readonly PsaRemoteCommands remoteCommands;
    private readonly PsaRemoteTokenProvider remoteTokens;
    private readonly PsaMqttConnection connection;
    private readonly PsaWakeUpPolicy wakeUpPolicy;
    private readonly ConcurrentDictionary<string, VehicleStatus> lastStatus = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> delayedProgramme = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim vehicleListGate = new(1, 1);
    private VehicleList? vehicleList;

    public PsaProvider(IPsaConnectedCarApi api, PsaTokenProvider tokens, PsaAccount account, TimeProvider time,
        PsaRemoteCommands remoteCommands, PsaRemoteTokenProvider remoteTokens, PsaMqttConnection connection, PsaWakeUpPolicy wakeUpPolicy)
    {
        this.wakeUpPolicy = wakeUpPolicy;
        this.api = api;
        this.tokens = tokens;
        this.account = account;
        this.time = time;
        this.remoteCommands = remoteCommands;
        this.remoteTokens = remoteTokens;
        this.connection = connection;
        this.connection.CarEventReceived += OnCarEvent;
    }

    public string Maker => MakerName;

    /// <summary>From the settings' refresh token, or from the moment a browser login connects an account.</summary>
    public bool IsConfigured => tokens.HasRefreshToken;

    /// <summary>
    /// PSA cars push their status over MQTT and reads cost no hourly quota, so charge control may look every 30 s. Data
    /// older than 10 minutes (5 while fast charging) makes a plugged car worth waking (psa_car_controller's rule).
    /// </summary>
    public static readonly ChargeWatchRules WatchRules = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

    public ChargeWatchRules ChargeWatch => WatchRules;

    // A broker that refuses the login leaves reads working, but the account cannot take commands: that must show.
    public ProviderHealth Health => tokens.Health.State != ProviderHealthState.Failing && connection.Problem is { } broker
        ? broker
        : tokens.Health;

    public event Action<VehicleStatus>? StatusPushed;

    public async Task<IReadOnlyList<Vehicle>> GetVehiclesAsync(CancellationToken cancellationToken)
    {
        if (vehicleList is { } cached && time.GetUtcNow() - cached.FetchedAt < VehicleListLifetime)
        {
            return cached.Vehicles;
        }

        await vehicleListGate.WaitAsync(cancellationToken);
        try
        {
            if (vehicleList is { } fresh && time.GetUtcNow() - fresh.FetchedAt < VehicleListLifetime)
            {
                return fresh.Vehicles;
            }

            var list = await PsaErrors.CallAsync(() => api.GetVehiclesAsync(cancellationToken), vin: null, cancellationToken);
            var vehicles = (list.Embedded?.Vehicles ?? [])
                .Where(v => !string.IsNullOrWhiteSpace(v.Vin) && !string.IsNullOrWhiteSpace(v.Id))
                .Select(ToVehicle)
                .ToList();
            vehicleList = new VehicleList(vehicles, time.GetUtcNow());
            return vehicles;
        }
        finally
        {
            vehicleListGate.Release();
        }
    }

    public async Task<VehicleStatus> GetStatusAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var id = vehicle.MakerVehicleId ?? (await FindAsync(vehicle.Vin, cancellationToken)).MakerVehicleId!;
        var dto = await PsaErrors.CallAsync(() => api.GetStatusAsync(id, cancellationToken), vehicle.Vin, cancellationToken);
        var status = PsaMapping.ToStatus(vehicle, dto, time.GetUtcNow());
        lastStatus[vehicle.Vin] = status;
        return status;
    }

    public async Task<CommandOutcome> SendCommandAsync(Vehicle vehicle, VehicleCommand command, CancellationToken cancellationToken)
    {
        if (!remoteTokens.IsPaired)
        {
            // Never paired, or the pairing was lost: either way the owner can act on it, so it is said in their words.
            throw new PsaPairingException(PsaPairingFailure.NotPaired, PsaPairingException.PairingRequiredCode, 409, remoteTokens.Problem!);
        }

        if (!account.KnowsCustomerId)
        {
            throw GatewayException.CapabilityNotSupported(vehicle.Vin, $"{command.Kind} ({PsaAccount.CustomerIdUnknown})");
        }

        if (!vehicle.Has(VehicleCommands.RequiredCapability(command.Kind)))
        {
            throw GatewayException.CapabilityNotSupported(vehicle.Vin, command.Kind.ToString());
        }

        var lastKnown = lastStatus.GetValueOrDefault(vehicle.Vin);
        if (command.Kind == VehicleCommandKind.WakeUp)
        {
            wakeUpPolicy.Admit(vehicle.Vin, lastKnown, CallIntent.Current);
        }

        var knownDelayedStart = lastKnown?.NextDelayedChargeStart;
        var outcome = await remoteCommands.SendAsync(vehicle, command, knownDelayedStart, cancellationToken);
        if (outcome.Accepted && command.Kind is VehicleCommandKind.ChargeStart or VehicleCommandKind.ChargeStop or VehicleCommandKind.SetDelayedChargeStart)
        {
            // An immediate charge disarms the delayed programme; a stop or a new hour arms it (psa.md §3 /VehCharge).
            delayedProgramme[vehicle.Vin] = command.Kind != VehicleCommandKind.ChargeStart;
        }

        return outcome;
    }

    /// <summary>
    /// Whether this account can take remote commands now: paired (or given a remote refresh token) and with a known
    /// customer id, which the MQTT topics carry. A pairing made while the gateway runs counts at once.
    /// </summary>
    internal bool RemoteCommandsAvailable => remoteTokens.IsPaired && account.KnowsCustomerId;

    /// <summary>
    /// Another account was just connected, or its remote commands paired: what was known about the cars (their
    /// capabilities among it) no longer applies.
    /// </summary>
    internal void ForgetCars()
    {
        vehicleList = null;
        lastStatus.Clear();
        delayedProgramme.Clear();
    }

    /// <summary>
    /// Whether the car's delayed-charge programme is armed, as its last charge event said or the last /VehCharge
    /// sent through this gateway set it; null when neither is known (the REST status does not tell).
    /// </summary>
    internal bool? DelayedProgrammeArmed(string vin) => delayedProgramme.TryGetValue(vin, out var armed) ? armed : null;

    private async Task<Vehicle> FindAsync(string vin, CancellationToken cancellationToken) =>
        (await GetVehiclesAsync(cancellationToken)).FirstOrDefault(v => string.Equals(v.Vin, vin, StringComparison.OrdinalIgnoreCase))
        ?? throw GatewayException.VehicleNotFound(vin);

    private Vehicle ToVehicle(PsaVehicleDto dto)
    {
        var model = string.IsNullOrWhiteSpace(dto.Label) ? "unknown" : dto.Label.Trim();
        return new Vehicle(
            dto.Vin!.Trim(),
            MakerName,
            PsaVehicleCatalog.NormalizeBrand(dto.Brand, account.Client.Brand),
            model,
            ModelCode: null,
            PsaVehicleCatalog.Capabilities(RemoteCommandsAvailable),
            PsaVehicleCatalog.UsableCapacityKwh(model),
            dto.Id);
    }

    private void OnCarEvent(PsaCarEvent carEvent)
    {
        if (string.IsNullOrEmpty(carEvent.Vin))
        {
            return;
        }

        if (carEvent.ChargingState?.Type is { } programme
            && (programme.Equals("Delayed", StringComparison.OrdinalIgnoreCase) || programme.Equals("Immediate", StringComparison.OrdinalIgnoreCase)))
        {
            delayedProgramme[carEvent.Vin] = programme.Equals("Delayed", StringComparison.OrdinalIgnoreCase);
        }

        var now = time.GetUtcNow();
        var merged = lastStatus.AddOrUpdate(
            carEvent.Vin,
            vin => PsaMapping.Merge(Blank(vin), carEvent, now),
            (_, known) => PsaMapping.Merge(known, carEvent, now));
        StatusPushed?.Invoke(merged);
    }

    private VehicleStatus Blank(string vin)
    {
        var vehicle = vehicleList?.Vehicles.FirstOrDefault(v => string.Equals(v.Vin, vin, StringComparison.OrdinalIgnoreCase));
        return new VehicleStatus
        {
            Vin = vin,
            Brand = vehicle?.Brand ?? account.Client.Brand.ToString(),
            Model = vehicle?.Model ?? "unknown",
        };
    }

    public void Dispose()
    {
        connection.CarEventReceived -= OnCarEvent;
        vehicleListGate.Dispose();
    }

    private sealed record VehicleList(IReadOnlyList<Vehicle> Vehicles, DateTimeOffset FetchedAt);
}
