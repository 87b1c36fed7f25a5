import { readdirSync, readFileSync } from 'node:fs';

/**
 * Is any process of this process group still running (not a zombie)? A step cut off by kill -9
 * of shipgate leaves its group behind; once killed, its processes may stay zombies for a while
 * (or for good, under a parent that never reaps), and `kill(-pgid, 0)` counts those as alive.
 * On Linux we read /proc/PID/stat (fields: pid (comm) state ppid pgrp …); elsewhere we fall back
 * to the signal probe.
 */
export function isProcessGroupRunning(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalProbe(pgid);
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // comm may contain spaces and parentheses: parse from the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const pgrp = Number(rest[2]);
    if (pgrp === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** Is this one process still running (not a zombie)? Same reasoning as for a group. */
export function isProcessRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function signalProbe(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
