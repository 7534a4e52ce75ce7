namespace EvGateway.Simulator.Renault;

/// <summary>A MyRenault login: a Gigya identity that owns Kamereon accounts.</summary>
public sealed class RenaultPerson(string personId, string username, string password)
{
    private volatile bool twoFactorRequired;

    public string PersonId { get; } = personId;
    public string Username { get; } = username;
    internal string Password { get; } = password;

    /// <summary>Gigya data centre the person lives in (a JWT claim and a getAccountInfo field).</summary>
    public string GigyaDataCenter { get; } = "eu1";

    /// <summary>Logging in needs the code Gigya e-mails, unless the device is remembered (renault.md §1b).</summary>
    public bool TwoFactorRequired
    {
        get => twoFactorRequired;
        set => twoFactorRequired = value;
    }

    public override string ToString() => $"RenaultPerson {PersonId} ({Username})";
}

/// <summary>A Kamereon account of a person (MYRENAULT, MYDACIA, MYALPINE, SFDC).</summary>
public sealed record RenaultAccount(string AccountId, string AccountType, string PersonId);

/// <summary>Who exists in the simulated cloud. Thread-safe: one lock guards every list.</summary>
internal sealed class RenaultDirectory
{
    private readonly object gate = new();
    private readonly List<RenaultPerson> persons = [];
    private readonly List<RenaultAccount> accounts = [];
    private readonly Dictionary<string, RenaultVehicle> vehicles = new(StringComparer.Ordinal);

    public RenaultPerson AddPerson(RenaultPerson person)
    {
        lock (gate)
        {
            if (persons.Any(p => string.Equals(p.Username, person.Username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"A person with login {person.Username} already exists.");
            }

            persons.Add(person);
            return person;
        }
    }

    public RenaultAccount AddAccount(RenaultAccount account)
    {
        lock (gate)
        {
            if (persons.All(p => p.PersonId != account.PersonId))
            {
                throw new InvalidOperationException($"Unknown person {account.PersonId}.");
            }

            accounts.Add(account);
            return account;
        }
    }

    public RenaultVehicle AddVehicle(RenaultVehicle vehicle)
    {
        lock (gate)
        {
            if (accounts.All(a => a.AccountId != vehicle.AccountId))
            {
                throw new InvalidOperationException($"Unknown account {vehicle.AccountId}.");
            }

            if (!vehicles.TryAdd(vehicle.Vin, vehicle))
            {
                throw new InvalidOperationException($"A vehicle with VIN {vehicle.Vin} already exists.");
            }

            return vehicle;
        }
    }

    public RenaultPerson? PersonByLogin(string username)
    {
        lock (gate)
        {
            return persons.FirstOrDefault(p => string.Equals(p.Username, username, StringComparison.OrdinalIgnoreCase));
        }
    }

    public RenaultPerson? Person(string personId)
    {
        lock (gate)
        {
            return persons.FirstOrDefault(p => p.PersonId == personId);
        }
    }

    public IReadOnlyList<RenaultPerson> Persons()
    {
        lock (gate)
        {
            return [.. persons];
        }
    }

    public RenaultAccount? Account(string accountId)
    {
        lock (gate)
        {
            return accounts.FirstOrDefault(a => a.AccountId == accountId);
        }
    }

    public IReadOnlyList<RenaultAccount> AccountsOf(string personId)
    {
        lock (gate)
        {
            return [.. accounts.Where(a => a.PersonId == personId)];
        }
    }

    public IReadOnlyList<RenaultVehicle> VehiclesOf(string accountId)
    {
        lock (gate)
        {
            return [.. vehicles.Values.Where(v => v.AccountId == accountId)];
        }
    }

    public RenaultVehicle? Vehicle(string vin)
    {
        lock (gate)
        {
            return vehicles.GetValueOrDefault(vin);
        }
    }
}
