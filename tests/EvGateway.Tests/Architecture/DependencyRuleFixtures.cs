// Types that break design.md's rules on purpose, each in a different way, so the rule checker is shown to fail.
// They live under their own root namespace and are checked only by DependencyRuleTests.

namespace EvGateway.Tests.Architecture.Fixtures.Vehicles
{
    /// <summary>The core calling into Hosting from a method body only.</summary>
    public static class CoreThatReachesIntoHosting
    {
        public static int Port() => new Hosting.HostingThatStartsTheSimulator().Port;
    }

    /// <summary>Allowed: the core's own types.</summary>
    public sealed record CoreRecord(int Value);
}

namespace EvGateway.Tests.Architecture.Fixtures.Hosting
{
    /// <summary>Starts the simulator though its name does not say it is demo mode.</summary>
    public sealed class HostingThatStartsTheSimulator
    {
        public int Port { get; } = new Simulator.SimulatedCloud().Port;

        /// <summary>Allowed: Hosting composes and may use the core.</summary>
        public Vehicles.CoreRecord Core { get; } = new(1);
    }

    /// <summary>Allowed: demo mode may start the simulator.</summary>
    public sealed class DemoThatStartsTheSimulator
    {
        public Simulator.SimulatedCloud Cloud { get; } = new();
    }
}

namespace EvGateway.Tests.Architecture.Fixtures.Simulator
{
    public sealed class SimulatedCloud
    {
        public int Port => 1;
    }
}

namespace EvGateway.Tests.Architecture.Fixtures.Charging
{
    /// <summary>A feature holding a maker's type in a field.</summary>
    public sealed class FeatureThatCallsAMaker
    {
        private readonly Manufacturers.Renault.MakerThatUsesCharging? maker = null;

        public bool HasMaker => maker is not null;
    }
}

namespace EvGateway.Tests.Architecture.Fixtures.Manufacturers.Renault
{
    /// <summary>A maker deriving from nothing wrong but taking a feature's type as a parameter.</summary>
    public sealed class MakerThatUsesCharging
    {
        public static bool Accepts(Charging.FeatureThatCallsAMaker feature) => feature.HasMaker;

        /// <summary>Allowed: a maker may use the core.</summary>
        public static Vehicles.CoreRecord Core() => new(2);
    }
}
