package io.edgepush.bridge.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jssc.SerialPort;
import jssc.SerialPortException;

/** A jssc port that records every modem-line call made on it ("setParams rts=false dtr=false", "setDTR true"). */
final class RecordingSerialPort extends SerialPort {
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    RecordingSerialPort(String name) {
        super(name);
    }

    @Override
    public synchronized boolean setParams(int baudRate, int dataBits, int stopBits, int parity, boolean setRTS,
                                          boolean setDTR) throws SerialPortException {
        CALLS.add("setParams rts=" + setRTS + " dtr=" + setDTR);
        return super.setParams(baudRate, dataBits, stopBits, parity, setRTS, setDTR);
    }

    @Override
    public boolean setParams(int baudRate, int dataBits, int stopBits, int parity) throws SerialPortException {
        CALLS.add("setParams(4 args: jssc raises DTR and RTS)");
        return super.setParams(baudRate, dataBits, stopBits, parity);
    }

    @Override
    public boolean setDTR(boolean enabled) throws SerialPortException {
        CALLS.add("setDTR " + enabled);
        return super.setDTR(enabled);
    }

    @Override
    public boolean setRTS(boolean enabled) throws SerialPortException {
        CALLS.add("setRTS " + enabled);
        return super.setRTS(enabled);
    }
}
