using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles.Budget;

public sealed class RefreshPoliciesTests
{
    private const string Vin = "VF1AG000164000001";

    [Theory]
    [InlineData(RefreshPolicy.Charging, ChargeState.Charging, PlugState.Plugged, 5)]
    [InlineData(RefreshPolicy.Charging, ChargeState.NotCharging, PlugState.Plugged, 60)]
    [InlineData(RefreshPolicy.Connected, ChargeState.NotCharging, PlugState.Plugged, 5)]
    [InlineData(RefreshPolicy.Connected, ChargeState.NotCharging, PlugState.Unplugged, 60)]
    [InlineData(RefreshPolicy.Always, ChargeState.NotCharging, PlugState.Unplugged, 5)]
    [InlineData(RefreshPolicy.Never, ChargeState.Charging, PlugState.Plugged, null)]
    public void Each_policy_refreshes_often_only_while_the_car_does_what_it_names(RefreshPolicy policy, ChargeState charge, PlugState plug,
        int? minutes)
    {
        var policies = Policies(new GatewayOptions { RefreshPolicy = policy });
        var status = new VehicleStatus { Vin = Vin, Brand = "Renault", Model = "ZOE", ChargeState = charge, PlugState = plug };

        Assert.Equal(minutes is { } m ? TimeSpan.FromMinutes(m) : null, policies.IntervalFor(Vin, status));
    }

    [Fact]
    public void A_car_of_its_own_overrides_the_gateway_policy_and_others_keep_it()
    {
        var settings = new GatewayOptions { RefreshPolicy = RefreshPolicy.Never };
        settings.Cars[Vin.ToLowerInvariant()] = new CarSettings { RefreshPolicy = RefreshPolicy.Always };
        var policies = Policies(settings);

        Assert.Equal(RefreshPolicy.Always, policies.PolicyOf(Vin));
        Assert.Equal(RefreshPolicy.Never, policies.PolicyOf("VF1AG000164000002"));
    }

    private static RefreshPolicies Policies(GatewayOptions settings) =>
        new(new StaticOptions(settings), new FakeTimeProvider());

    private sealed class StaticOptions(GatewayOptions value) : IOptionsMonitor<GatewayOptions>
    {
        public GatewayOptions CurrentValue => value;

        public GatewayOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<GatewayOptions, string?> listener) => null;
    }
}
