// The Today chunk: its model, its view and the move / cancel forms, loaded when Today is first needed.
import { TodayView } from '../../components/TodayView';
import { provideView } from '../lazy-views';
import { createTodayModel } from '../today-model';

provideView('today', { TodayView, createTodayModel });
