import os from 'node:os';

/** The machine a result was measured on: figures from different machines are not comparable. */
export type MachineInfo = {
  cpuModel: string;
  /** 0 where the platform does not report it (some VMs). */
  cpuMHz: number;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  /** 1-, 5- and 15-minute load when the run started: other work on the machine slows a benchmark. */
  loadAverage: number[];
  date: string;
};

export function machineInfo(now = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuMHz: cpus[0]?.speed ?? 0,
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    date: now.toISOString(),
  };
}

export function describeMachine(m: MachineInfo): string {
  const gib = (m.memoryBytes / 2 ** 30).toFixed(0);
  const mhz = m.cpuMHz > 0 ? `, ${m.cpuMHz} MHz` : '';
  return `${m.cpuModel} (${m.cores} cores${mhz}), ${gib} GiB, Node ${m.node}, ${m.os}; load ${m.loadAverage.join(' ')}`;
}
