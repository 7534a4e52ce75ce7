using System.Collections;
using System.Globalization;
using Razorvine.Pickle;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// Reads psa_car_controller's otp.bin (a Python pickle, protocols 2-5) into an <see cref="OtpState"/>, so an owner
/// moving over keeps the pairing and spends no activation (psa-remote-pairing.md §7).
/// </summary>
public static class PsaccOtpImport
{
    /// <summary>Real files are under 4 KB; anything far larger is not one.</summary>
    public const int MaxFileLength = 1 << 20;

    private const string OtpClass = "Otp";
    private const string DataClass = "IWData";

    static PsaccOtpImport()
    {
        // The unpickler's class table is process-wide; a static constructor fills it once, before any load reads it.
        // Files written before 2022 name the modules without the package.
        foreach (var package in new[] { "psa_car_controller.psa.otp.", "otp." })
        {
            Register(package + "otp", OtpClass);
            Register(package + "load", DataClass);
            Register(package + "tokenizer", "Tokenizer");
        }

        static void Register(string module, string name) =>
            Unpickler.registerConstructor(module, name, new PsaccObjectConstructor(name));
    }

    /// <exception cref="PsaPairingException">The file is not a usable otp.bin (<see cref="PsaPairingFailure.ImportRejected"/>).</exception>
    public static OtpState Import(byte[] otpBin)
    {
        var otp = Load(otpBin);
        var data = otp.Get("data") as PsaccObject is { ClassName: DataClass } iwData
            ? iwData
            : throw PsaPairingException.ImportRejected("it holds no soft-token data.");
        if (otp.Get("Kiw") is null || data.Get("iwsecval") is not string { Length: > 0 })
        {
            throw PsaPairingException.ImportRejected("psa_car_controller had not finished pairing when it wrote it; pair here instead.");
        }

        return new OtpState
        {
            DeviceId = Text(otp, "device_id"),
            Alea = Text(otp, "iwalea"),
            Pin = Text(otp, "codepin"),
            MacId = Text(otp, "macid"),
            Kfact = Text(otp, "Kfact"),
            Kiw = Text(otp, "Kiw"),
            ToolId = Text(data, "iwid"),
            // An integer 0 until activation, the server's text after.
            LastSync = data.Get("iwTsync") is int number ? number.ToString(CultureInfo.InvariantCulture) : Text(data, "iwTsync"),
            K0 = Text(data, "iwK0"),
            K1 = Text(data, "iwK1"),
            SecretId = Text(data, "iwsecid"),
            SecretValue = Text(data, "iwsecval"),
            Synchro = otp.Get("action") as string == "synchro",
        };
    }

    /// <summary>The pickled root object (psa_car_controller's Otp) with every attribute as the unpickler read it.</summary>
    internal static PsaccObject Load(byte[] otpBin)
    {
        if (otpBin.Length is < 2 or > MaxFileLength || otpBin[0] != 0x80 || otpBin[1] is < 2 or > 5)
        {
            throw PsaPairingException.ImportRejected("it is not a file psa_car_controller writes (a Python pickle of protocol 2 to 5).");
        }

        object? root;
        try
        {
            using var unpickler = new Unpickler();
            root = unpickler.loads(otpBin);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The unpickler's own messages name its internals; the owner only needs to know the file is unusable.
            throw PsaPairingException.ImportRejected("it is damaged or incomplete.");
        }

        return root as PsaccObject is { ClassName: OtpClass } otp
            ? otp
            : throw PsaPairingException.ImportRejected("it holds no psa_car_controller OTP state.");
    }

    private static string Text(PsaccObject owner, string attribute) =>
        owner.Get(attribute) as string is { Length: > 0 } text
            ? text
            : throw PsaPairingException.ImportRejected($"{owner.ClassName}.{attribute} is missing.");

    private sealed class PsaccObjectConstructor(string className) : IObjectConstructor
    {
        // NEWOBJ with no arguments, as Python's default __reduce_ex__ writes these classes.
        public object construct(object[] args) => args.Length == 0
            ? new PsaccObject(className)
            : throw new PickleException("unexpected constructor arguments");
    }
}

/// <summary>One of psa_car_controller's pickled objects: its class and the attributes BUILD gave it.</summary>
internal sealed class PsaccObject(string className)
{
    private readonly Dictionary<string, object?> attributes = new(StringComparer.Ordinal);

    public string ClassName { get; } = className;

    public IReadOnlyDictionary<string, object?> Attributes => attributes;

    public object? Get(string attribute) => attributes.GetValueOrDefault(attribute);

    /// <summary>Called by the unpickler's BUILD, which looks the method up by this Python name.</summary>
    public void __setstate__(Hashtable state)
    {
        foreach (DictionaryEntry entry in state)
        {
            attributes[entry.Key as string ?? throw new PickleException("an attribute name is not text")] = entry.Value;
        }
    }
}
