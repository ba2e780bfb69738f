// The Schedule chunk: its form model and its view, loaded together when Schedule is first needed.
import { ScheduleView } from '../../components/ScheduleView';
import { provideView } from '../lazy-views';
import { createScheduleModel } from '../schedule-model';

provideView('schedule', { ScheduleView, createScheduleModel });
